import { newId } from '@weft/db';
import { valuesList } from '@weft/run-store';
import type { Transition } from './transition-context';

export interface NewStep {
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

/** Inserts step rows in one statement; returns their ids in order. */
export async function insertSteps(t: Transition, steps: NewStep[]): Promise<string[]> {
  if (steps.length === 0) return [];
  const ids = steps.map(() => newId());
  const params: unknown[] = [];
  steps.forEach((s, i) => {
    const terminal = ['skipped', 'succeeded', 'failed'].includes(s.status);
    const availableAt = s.wakeAt ?? new Date(Date.now() + (s.delayMs ?? 0));
    params.push(
      ids[i], t.run.org_id, t.run.id, s.nodeId, s.nodeType, s.attempt, s.status, s.applied ?? false, availableAt,
      terminal ? new Date() : null, s.status === 'queued' || s.status === 'skipped' ? null : new Date(),
      s.timeoutMs ?? null, json(s.input), json(s.output), json(s.error), s.handle ?? null, s.itemsTotal ?? 0,
    );
  });
  await t.c.query(
    `INSERT INTO run_steps (id, org_id, run_id, node_id, node_type, attempt, status, applied, available_at,
       finished_at, started_at, timeout_ms, input, output, error, handle, items_total)
     VALUES ${valuesList(steps.length, 17, ['uuid', 'uuid', 'uuid', 'text', 'text', 'int', 'text', 'boolean', 'timestamptz', 'timestamptz', 'timestamptz', 'int', 'jsonb', 'jsonb', 'jsonb', 'text', 'int'])}`,
    params,
  );
  return ids;
}

const json = (v: unknown) => (v === undefined ? null : JSON.stringify(v));
