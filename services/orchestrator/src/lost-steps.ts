import type { Logger } from '@weft/logger';
import { JOBS, type Queues } from '@weft/queue';
import { failLostSteps, publishOutbox, requeueLostSteps, withTx } from '@weft/run-store';
import type { Pool } from 'pg';

export interface LostStepOptions {
  /** How late past its lease a step must be before it is declared lost (ms). */
  graceMs: number;
  /** Losses a step may have and still be re-queued; the next one fails it with `worker_lost`. */
  maxLosses: number;
  batch?: number;
}

/**
 * Running steps whose lease expired: the executor holding them stopped renewing (it died, was
 * OOM-killed, or stalls). A lost worker is not the node's failure, so the step is re-queued as
 * the same attempt (same row, same idempotency key) without consuming one of the node's retry
 * attempts; `losses` counts it instead. The fence changes, so the lost worker's late completion
 * (a paused process that wakes up) is discarded. A step lost more than `maxLosses` times takes
 * its workers down with it: it fails as a poison step with `worker_lost` (not retryable: the
 * node's retry policy is for the node's own errors).
 *
 * One transaction with the outbox rows of the new jobs (execute-step for re-queued steps,
 * advance-run for failed ones), published after commit. Steps past their deadline are the
 * deadline sweep's (a `timeout`), which runs before this one. Idempotent: SKIP LOCKED, and a
 * re-queued step is not `running` any more.
 */
export async function recoverLostSteps(pool: Pool, queues: Queues, o: LostStepOptions, logger?: Logger): Promise<{ requeued: number; failed: number }> {
  const w = { graceMs: o.graceMs, limit: o.batch ?? 500, maxLosses: o.maxLosses };
  const { requeued, failed } = await withTx(pool, async (c) => ({ requeued: await requeueLostSteps(c, w), failed: await failLostSteps(c, w) }));
  const ids = [...requeued.ids, ...failed.ids];
  const jobs = [...requeued.jobs, ...failed.jobs];
  if (jobs.length === 0) return { requeued: 0, failed: 0 };
  for (const s of requeued.steps) logger?.warn({ stepId: s.id, runId: s.run_id, losses: s.losses, queue: JOBS['execute-step'].queue }, 'step lost with its worker (lease expired): re-queued');
  for (const s of failed.steps) logger?.error({ stepId: s.id, runId: s.run_id }, `step lost with its worker more than ${o.maxLosses} times: failed with worker_lost`);
  await publishOutbox(pool, queues, ids, jobs, logger);
  return { requeued: requeued.steps.length, failed: failed.steps.length };
}
