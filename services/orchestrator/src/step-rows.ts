import { newId } from '@weft/db';
import { insertStepRows } from '@weft/run-store';
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
  error?: unknown;
  handle?: string | null;
  itemsTotal?: number;
}

/** Inserts step rows in one statement (any number of them); returns their ids in order. */
export async function insertSteps(t: Transition, steps: NewStep[]): Promise<string[]> {
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
      output: json(s.output),
      error: json(s.error),
      handle: s.handle ?? null,
      itemsTotal: s.itemsTotal ?? 0,
    };
  });
  await insertStepRows(t.c, { orgId: t.run.org_id, runId: t.run.id }, rows);
  return rows.map((r) => r.id);
}

const json = (v: unknown) => (v === undefined ? null : JSON.stringify(v));
