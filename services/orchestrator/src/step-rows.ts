import { newId } from '@weft/db';
import type { Transition } from './transition-context';

export interface NewStep {
  /** Given when the caller records an event for the step before the row is written (batched inserts). */
  id?: string;
  nodeId: string;
  nodeType: string;
  attempt: number;
  status: 'queued' | 'waiting' | 'running' | 'skipped' | 'succeeded' | 'failed';
  /** Terminal rows that the engine already knows about are inserted applied. */
  applied?: boolean;
  delayMs?: number;
  /** For waiting steps: when the timer fires (delay end, approval timeout). */
  wakeAt?: Date;
  timeoutMs?: number | null;
  input?: unknown;
  output?: unknown;
  /** The output already serialized (checked against the value limits by the caller): written as it is. */
  outputJson?: string;
  error?: unknown;
  handle?: string | null;
  itemsTotal?: number;
}

/**
 * Adds step rows to the transition (written with its final statement, or before the next read
 * of run_steps: `Transition.flushSteps`); returns their ids in order.
 */
export function insertSteps(t: Transition, steps: NewStep[]): string[] {
  if (steps.length === 0) return [];
  const now = new Date();
  const rows = steps.map((s) => {
    const terminal = s.status === 'skipped' || s.status === 'succeeded' || s.status === 'failed';
    return {
      id: s.id ?? newId(),
      nodeId: s.nodeId,
      nodeType: s.nodeType,
      attempt: s.attempt,
      status: s.status,
      applied: s.applied ?? false,
      availableAt: s.wakeAt ?? new Date(now.getTime() + (s.delayMs ?? 0)),
      startedAt: s.status === 'queued' || s.status === 'skipped' ? null : now,
      finishedAt: terminal ? now : null,
      timeoutMs: s.timeoutMs ?? null,
      input: json(s.input),
      output: s.outputJson ?? json(s.output),
      error: json(s.error),
      handle: s.handle ?? null,
      itemsTotal: s.itemsTotal ?? 0,
    };
  });
  t.stageSteps(rows);
  return rows.map((r) => r.id);
}

const json = (v: unknown) => (v === undefined ? null : JSON.stringify(v));
