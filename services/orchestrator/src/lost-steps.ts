import type { Logger } from '@weft/logger';
import { JOBS, jobFor, type JobEnvelope, type Queues } from '@weft/queue';
import { insertOutbox, publishOutbox, rows, withTx } from '@weft/run-store';
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
  const grace = o.graceMs / 1000;
  const limit = o.batch ?? 500;
  const { requeued, failed, jobs, ids } = await withTx(pool, async (c) => {
    const lost = `SELECT id FROM run_steps WHERE status = 'running' AND lease_expires_at <= now() - make_interval(secs => $1) LIMIT $2 FOR UPDATE SKIP LOCKED`;
    const requeued = await rows<{ id: string; run_id: string; fence: number; losses: number }>(
      c,
      `UPDATE run_steps SET status = 'queued', fence = fence + 1, losses = losses + 1,
         started_at = NULL, deadline_at = NULL, lease_expires_at = NULL, available_at = now()
       WHERE id IN (${lost}) AND losses < $3
       RETURNING id, run_id, fence, losses`,
      [grace, limit, o.maxLosses],
    );
    const failed = await rows<{ id: string; run_id: string }>(
      c,
      `UPDATE run_steps SET status = 'failed', finished_at = now(), lease_expires_at = NULL, losses = losses + 1,
         error = jsonb_build_object('code', 'worker_lost', 'retryable', false,
           'message', 'the worker running this step was lost ' || (losses + 1) || ' times (its lease expired); the step is not delivered again')
       WHERE id IN (${lost}) AND losses >= $3
       RETURNING id, run_id`,
      [grace, limit, o.maxLosses],
    );
    const jobs: JobEnvelope[] = [
      ...requeued.map((s) => jobFor.executeStep(s.run_id, s.id, s.fence)),
      ...failed.map((s) => jobFor.stepSettled(s.run_id, s.id, 'failed')),
    ];
    return { requeued, failed, jobs, ids: await insertOutbox(c, null, jobs) };
  });
  if (jobs.length === 0) return { requeued: 0, failed: 0 };
  for (const s of requeued) logger?.warn({ stepId: s.id, runId: s.run_id, losses: s.losses, queue: JOBS['execute-step'].queue }, 'step lost with its worker (lease expired): re-queued');
  for (const s of failed) logger?.error({ stepId: s.id, runId: s.run_id }, `step lost with its worker more than ${o.maxLosses} times: failed with worker_lost`);
  await publishOutbox(pool, queues, ids, jobs, logger);
  return { requeued: requeued.length, failed: failed.length };
}
