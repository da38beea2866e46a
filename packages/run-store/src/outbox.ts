import { asMaintenance } from '@weft/db';
import type { Logger } from '@weft/logger';
import { JOBS, hopsTraced, markHop, type JobEnvelope, type Queues } from '@weft/queue';
import type { Pool } from 'pg';
import { rows, withTx, type Queryable } from './sql';
import { startTicker } from './ticker';

interface OutboxRow {
  id: string;
  job_name: JobEnvelope['name'];
  job_id: string;
  payload: JobEnvelope['payload'];
  delay_ms: number;
}

/**
 * SQL inserting outbox rows from five parameter arrays starting at `$first` (queue, job name,
 * job id, payload, delay: `outboxParams`), for org `org` (a parameter reference such as `$2`):
 * one statement text for any number of jobs, usable as a CTE of a larger statement.
 */
export const outboxInsertSql = (org: string, first: number) => `INSERT INTO outbox (org_id, queue, job_name, job_id, payload, delay_ms)
       SELECT ${org}::uuid, j.queue, j.job_name, j.job_id, j.payload, j.delay_ms
       FROM unnest($${first}::text[], $${first + 1}::text[], $${first + 2}::text[], $${first + 3}::jsonb[], $${first + 4}::int[]) AS j(queue, job_name, job_id, payload, delay_ms)
       RETURNING id`;

/**
 * SQL inserting ONE outbox row for each row of `source` (a CTE returning `org_id`), for the job
 * given by the four parameters of `outboxRowParams` starting at `$first`: the outbox row of a
 * single-statement write (create, cancel, retry, completion) that exists only if the write happened.
 */
export const outboxRowFrom = (source: string, first: number) => `INSERT INTO outbox (org_id, queue, job_name, job_id, payload)
       SELECT ${source}.org_id, $${first}::text, $${first + 1}::text, $${first + 2}::text, $${first + 3}::jsonb FROM ${source}
       RETURNING id`;

/** The four parameters of `outboxRowFrom` for `job` (built by `jobFor`: the id is never spelled in SQL). */
export const outboxRowParams = (job: JobEnvelope): unknown[] => [JOBS[job.name].queue, job.name, job.jobId, JSON.stringify(job.payload)];

/** Jobs written to the outbox with the rows that imply them, to publish after commit (`publishOutbox`). */
export interface Outboxed {
  /** The outbox rows' ids. */
  ids: string[];
  jobs: JobEnvelope[];
}

/** Writes `jobs` to the outbox inside the caller's transaction (none: no statement). */
export async function outboxed(q: Queryable, orgId: string | null, jobs: JobEnvelope[]): Promise<Outboxed> {
  return { ids: await insertOutbox(q, orgId, jobs), jobs };
}

/** The five parameter arrays of `outboxInsertSql`. */
export function outboxParams(jobs: readonly JobEnvelope[]): unknown[][] {
  return [jobs.map((j) => JOBS[j.name].queue), jobs.map((j) => j.name), jobs.map((j) => j.jobId), jobs.map((j) => JSON.stringify(j.payload)), jobs.map((j) => j.delayMs ?? 0)];
}

/**
 * Writes jobs to the outbox inside the caller's transaction. They reach BullMQ only after the
 * transaction commits (`publishOutbox`, or the relay after a crash): a worker never sees a job
 * whose rows are not committed.
 */
export async function insertOutbox(q: Queryable, orgId: string | null, jobs: readonly JobEnvelope[]): Promise<string[]> {
  if (jobs.length === 0) return [];
  const inserted = await rows<{ id: string }>(q, outboxInsertSql('$1', 2), [orgId, ...outboxParams(jobs)]);
  return inserted.map((r) => r.id);
}

/** Deletes the outbox rows of published jobs. */
async function deleteOutboxRows(q: Queryable, ids: readonly string[]): Promise<void> {
  await q.query('DELETE FROM outbox WHERE id = ANY($1::bigint[])', [ids]);
}

/**
 * After commit: publishes the jobs and deletes their outbox rows. If this fails (Redis down,
 * process killed) the rows stay and the relay publishes them later; job ids make that safe.
 * With `deletes`, the rows of published jobs are deleted in batches (one statement every few
 * milliseconds for every caller) instead of one DELETE each: hot paths pass it.
 */
export async function publishOutbox(
  pool: Pool,
  queues: Queues,
  ids: readonly string[],
  jobs: readonly JobEnvelope[],
  logger?: Logger,
  deletes?: OutboxDeletes,
): Promise<void> {
  if (jobs.length === 0) return;
  try {
    if (hopsTraced()) markJobs('publish', jobs);
    await queues.publish(jobs);
    if (hopsTraced()) markJobs('published', jobs);
    if (deletes) deletes.add(ids);
    else await deleteOutboxRows(pool, ids);
  } catch (err) {
    logger?.warn({ err, count: jobs.length }, 'eager publish failed; the outbox relay will retry');
  }
}

/** Default pause between batched DELETEs of published outbox rows (ms). */
export const OUTBOX_DELETE_INTERVAL_MS = 200;

/** Bench `hops`: when each job was handed to BullMQ, and when BullMQ had it. */
function markJobs(event: string, jobs: readonly JobEnvelope[]) {
  for (const j of jobs) if ('runId' in j.payload) markHop(event, j.payload.runId, j.jobId);
}

/**
 * Outbox rows whose jobs were published, deleted together: one statement (and one commit) per
 * `intervalMs` instead of one per job. Safe to lose: rows left behind by a crash are published
 * again by the relay after its grace period, and job ids plus idempotent consumers (advance-run
 * folds in nothing new, execute-step claims only a queued step) make that a no-op.
 *
 * The interval (default OUTBOX_DELETE_INTERVAL_MS) must stay well under the relay's grace
 * (WEFT_OUTBOX_GRACE_MS, 2 s), or the relay publishes rows whose jobs are already out. At 10 ms a
 * chain that settles a step every few ms paid one DELETE (a transaction and a WAL flush) per step
 * and per process; at 200 ms they go by the dozen.
 */
export class OutboxDeletes {
  private pending: string[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly pool: Pool,
    private readonly opts: { intervalMs?: number; maxBatch?: number; logger?: Logger } = {},
  ) {}

  add(ids: readonly string[]): void {
    this.pending.push(...ids);
    if (this.pending.length >= (this.opts.maxBatch ?? 1000)) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), this.opts.intervalMs ?? OUTBOX_DELETE_INTERVAL_MS);
  }

  /** Deletes what is pending now; resolves when that (and any earlier flush) is done. */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const ids = this.pending;
    this.pending = [];
    if (ids.length) {
      // Rows of many requests' orgs in one DELETE: across orgs, whichever request's scope set the timer.
      this.flushing = this.flushing.then(() =>
        asMaintenance(() => deleteOutboxRows(this.pool, ids)).then(
          () => undefined,
          (err: unknown) => this.opts.logger?.warn({ err, count: ids.length }, 'outbox cleanup failed; the relay will publish those rows again (harmless)'),
        ),
      );
    }
    return this.flushing;
  }
}

/**
 * Publishes outbox rows that the eager path left behind (older than `graceMs`), oldest first,
 * in batches. Rows are locked with SKIP LOCKED so several relays can run side by side, and
 * deleted in the same transaction only after BullMQ accepted them.
 */
export async function relayOutboxOnce(pool: Pool, queues: Queues, graceMs: number, batch = 500): Promise<number> {
  return withTx(pool, async (c) => {
    const pending = await rows<OutboxRow>(
      c,
      `SELECT id, job_name, job_id, payload, delay_ms FROM outbox
       WHERE created_at < now() - make_interval(secs => $1::double precision / 1000)
       ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED`,
      [graceMs, batch],
    );
    if (pending.length === 0) return 0;
    await queues.publish(
      pending.map((r) => ({ name: r.job_name, jobId: r.job_id, payload: r.payload, delayMs: r.delay_ms }) as JobEnvelope),
    );
    await deleteOutboxRows(c, pending.map((r) => r.id));
    return pending.length;
  });
}

/** Runs the relay every `intervalMs` until stopped. */
export function startOutboxRelay(
  pool: Pool,
  queues: Queues,
  opts: { intervalMs: number; graceMs: number; logger: Logger },
): { stop(): Promise<void> } {
  return startTicker(opts.intervalMs, async (isStopped) => {
    try {
      let n: number;
      do {
        n = await relayOutboxOnce(pool, queues, opts.graceMs);
        if (n > 0) opts.logger.info({ published: n }, 'outbox relay published pending jobs');
      } while (n > 0 && !isStopped());
    } catch (err) {
      opts.logger.warn({ err }, 'outbox relay pass failed');
    }
  });
}
