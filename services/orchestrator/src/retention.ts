import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '@weft/logger';
import { clearRunData, exportRun, lockDueRuns, maintainRunLogPartitions, startTicker, withTx } from '@weft/run-store';
import type { Pool, PoolClient } from 'pg';
import { purgeExpiredOAuthStates } from './oauth-states-purge';

export interface RetentionOptions {
  /** Runs cleared per transaction (each transaction locks only its batch's rows, briefly). */
  batch?: number;
  /** Batches per pass at most (a pass that fills them all goes on at the next tick). */
  maxBatches?: number;
  /** Where each run is written as JSON Lines (`<dir>/<orgId>/<runId>.jsonl`) before its data is cleared; none: no files. */
  exportDir?: string;
  /** How long a statement of the job waits for a lock before giving up (ms): the job yields, never the hot path. */
  lockTimeoutMs?: number;
  /** Weekly run_logs partitions kept ready ahead of time. */
  weeksAhead?: number;
}

export interface RetentionPass {
  runs: number;
  steps: number;
  logs: number;
  partitionsCreated: string[];
  partitionsDropped: string[];
  /** Expired OAuth authorization requests deleted (`oauth_states`). */
  oauthStates: number;
}

/**
 * One batch in one short transaction: lock (SKIP LOCKED) runs past their org's retention, write
 * each one's export file when configured (before anything is cleared: a failed write aborts the
 * batch and clears nothing), clear their data. Re-runnable: a cleared run leaves the queue.
 */
async function purgeBatch(c: PoolClient, o: Required<Pick<RetentionOptions, 'batch' | 'lockTimeoutMs'>> & RetentionOptions) {
  await c.query(`SET LOCAL lock_timeout = ${Math.max(1, Math.floor(o.lockTimeoutMs))}`);
  const due = await lockDueRuns(c, o.batch);
  if (o.exportDir) for (const run of due) await writeExport(c, o.exportDir, run.org_id, run.id);
  const cleared = await clearRunData(
    c,
    due.map((r) => r.id),
  );
  return { runs: due.length, ...cleared };
}

/** `<dir>/<orgId>/<runId>.jsonl`, written whole or not at all (a temporary file renamed). */
async function writeExport(c: PoolClient, dir: string, orgId: string, runId: string): Promise<void> {
  const lines = await exportRun(c, runId, null);
  if (!lines) return;
  const folder = join(dir, orgId);
  await mkdir(folder, { recursive: true });
  const file = join(folder, `${runId}.jsonl`);
  await writeFile(`${file}.tmp`, `${lines.join('\n')}\n`);
  await rename(`${file}.tmp`, file);
}

/**
 * A retention pass (the maintenance role, across orgs): batches until none is full or
 * `maxBatches` ran, then the run_logs partitions: the coming weeks created, the ended ones whose
 * runs are all cleared dropped; then expired OAuth states, deleted in batches. Safe with several orchestrators at once (SKIP LOCKED batches, an
 * advisory lock around the partitions).
 */
export async function retentionPass(pool: Pool, o: RetentionOptions = {}, logger?: Logger): Promise<RetentionPass> {
  const opts = { batch: o.batch ?? 100, lockTimeoutMs: o.lockTimeoutMs ?? 2000, ...o };
  const total: RetentionPass = { runs: 0, steps: 0, logs: 0, partitionsCreated: [], partitionsDropped: [], oauthStates: 0 };
  for (let i = 0; i < (o.maxBatches ?? 50); i++) {
    const done = await withTx(pool, (c) => purgeBatch(c, opts));
    total.runs += done.runs;
    total.steps += done.steps;
    total.logs += done.logs;
    if (done.runs < opts.batch) break;
  }
  const partitions = await withTx(pool, async (c) => {
    await c.query(`SET LOCAL lock_timeout = ${Math.max(1, Math.floor(opts.lockTimeoutMs))}`);
    return maintainRunLogPartitions(c, o.weeksAhead ?? 4);
  });
  total.partitionsCreated = partitions.created;
  total.partitionsDropped = partitions.dropped;
  total.oauthStates = await purgeExpiredOAuthStates(pool, { batch: opts.batch, maxBatches: o.maxBatches ?? 50 });
  if (total.runs || partitions.created.length || partitions.dropped.length || total.oauthStates) logger?.info({ ...total }, 'retention pass');
  return total;
}

/** Runs a retention pass every `intervalMs`. */
export function startRetention(pool: Pool, o: RetentionOptions & { intervalMs: number; logger: Logger }): { stop(): Promise<void> } {
  return startTicker(o.intervalMs, () => retentionPass(pool, o, o.logger).catch((err: unknown) => o.logger.warn({ err }, 'retention pass failed (the next one retries)')));
}
