import { newId } from '@weft/db';
import type { EngineEvent } from '@weft/engine';

export interface EventRow {
  id: string;
  seq: number;
  type: string;
  nodeId: string | null;
  stepId: string | null;
  data: unknown;
}

/** Collects the events of one transition with consecutive sequence numbers. */
export class EventLog {
  readonly rows: EventRow[] = [];

  constructor(private seq: number) {}

  get lastSeq(): number {
    return this.seq;
  }

  push(type: string, data: unknown, nodeId: string | null = null, stepId: string | null = null): void {
    this.rows.push({ id: newId(), seq: ++this.seq, type, nodeId, stepId, data });
  }

  /** Input events are stored whole (minus type) so that replay can rebuild them exactly. */
  input(event: EngineEvent, stepId: string | null): void {
    const { type, ...data } = event;
    this.push(type, data, 'nodeId' in event ? event.nodeId : null, stepId);
  }
}
