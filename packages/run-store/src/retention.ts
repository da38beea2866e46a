import type { PoolClient } from 'pg';
import { rows, type Queryable } from './sql';

/** A finished run whose data the retention job clears. */
export interface DueRun {
  id: string;
  org_id: string;
}

/**
 * Locks up to `limit` finished runs whose data is past their org's retention (`orgs.retention_days`
 * after `finished_at`) and not cleared yet, oldest end first, skipping the runs another job or a
 * request holds (SKIP LOCKED): two orchestrators take disjoint batches, and a run being retried
 * waits for the next pass. The caller's transaction keeps them locked until it clears them.
 */
export async function lockDueRuns(c: PoolClient, limit: number): Promise<DueRun[]> {
  return rows<DueRun>(
    c,
    `SELECT r.id, r.org_id FROM runs r JOIN orgs o ON o.id = r.org_id
     WHERE r.finished_at IS NOT NULL AND r.data_purged_at IS NULL
       AND r.finished_at < now() - make_interval(days => (SELECT LEAST(min(retention_days), 36500) FROM orgs))
       AND r.finished_at < now() - make_interval(days => LEAST(o.retention_days, 36500))
     ORDER BY r.finished_at LIMIT $1
     FOR UPDATE OF r SKIP LOCKED`,
    [limit],
  );
}

/**
 * Clears the data of locked runs, inside the caller's transaction: step inputs and outputs, the
 * run's inputs, output and pinned outputs, and its log lines; stamps `data_purged_at`. What stays
 * is the summary: status, trigger, timings, errors, the engine state (node statuses only), the
 * steps' statuses, attempts and timings, and the events (which hold no inputs or outputs). Only the
 * given runs' rows are touched, by their run id indexes.
 */
export async function clearRunData(c: PoolClient, runIds: readonly string[]): Promise<{ steps: number; logs: number }> {
  if (runIds.length === 0) return { steps: 0, logs: 0 };
  const steps = await c.query(`UPDATE run_steps SET input = NULL, output = NULL WHERE run_id = ANY($1::uuid[]) AND (input IS NOT NULL OR output IS NOT NULL)`, [runIds]);
  const logs = await c.query(`DELETE FROM run_logs WHERE run_id = ANY($1::uuid[])`, [runIds]);
  await c.query(
    `UPDATE runs SET inputs = 'null'::jsonb, output = NULL, pinned_outputs = NULL, data_purged_at = now(), updated_at = now()
     WHERE id = ANY($1::uuid[]) AND data_purged_at IS NULL`,
    [runIds],
  );
  return { steps: steps.rowCount ?? 0, logs: logs.rowCount ?? 0 };
}

/** What `weft_run_logs_maintain` did: partitions of run_logs created ahead, and old ones dropped. */
export async function maintainRunLogPartitions(q: Queryable, weeksAhead = 4): Promise<{ created: string[]; dropped: string[] }> {
  const done = await rows<{ action: string; partition: string }>(q, `SELECT action, partition FROM weft_run_logs_maintain($1)`, [weeksAhead]);
  return { created: done.filter((d) => d.action === 'created').map((d) => d.partition), dropped: done.filter((d) => d.action === 'dropped').map((d) => d.partition) };
}
