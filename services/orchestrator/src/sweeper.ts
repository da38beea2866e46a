import type { Logger } from '@weft/logger';
import { weftMetrics } from '@weft/metrics';
import { dueWakeUps, publishOutbox, timeOutSteps, withTx, startTicker } from '@weft/run-store';
import { jobFor, type Queues } from '@weft/queue';
import type { Pool } from 'pg';
import { recoverLostSteps } from './lost-steps';
import { reconcileOnce, type ReconcileCursor } from './reconciler';

export interface SweeperOptions {
  intervalMs: number;
  /** How long work may look idle before the reconciler re-publishes it (ms). */
  reconcileAfterMs: number;
  /** How late a timer or deadline must be before the sweeper steps in (the delayed job usually fires first). */
  graceMs: number;
  /** Worker losses a step may have and still be re-queued (lost-steps.ts); default 3. */
  maxLosses?: number;
  batch?: number;
}

/**
 * The backstop that makes timers and timeouts durable whatever happens to Redis or a worker:
 * - waiting steps whose timer is due, and runs past their deadline → wake the run;
 * - running steps past their deadline (the worker hangs) → failed with a retryable
 *   `timeout`, fenced on status so a late completion changes nothing;
 * - running steps whose lease expired (the worker died: it stopped renewing) → re-queued without
 *   consuming a retry attempt, or failed with `worker_lost` past the cap (lost-steps.ts).
 * Every pass is idempotent; several orchestrators may sweep at once.
 */
export async function sweepOnce(pool: Pool, queues: Queues, o: SweeperOptions, logger?: Logger): Promise<number> {
  const limit = o.batch ?? 500;
  const due = { graceMs: o.graceMs, limit };
  const wake = await dueWakeUps(pool, due);
  const timedOut = await withTx(pool, (c) => timeOutSteps(c, due));
  // One wake per run per reconcile window (see reconcileOnce), not one per pass and orchestrator.
  const window = Math.floor(Date.now() / Math.max(o.reconcileAfterMs, 1));
  const wakeJobs = wake.map((runId) => jobFor.sweep(runId, window));
  if (wakeJobs.length) await queues.publish(wakeJobs);
  await publishOutbox(pool, queues, timedOut.ids, timedOut.jobs, logger);
  // After the deadline sweep: a step past its deadline is a timeout, not a loss.
  const lost = await recoverLostSteps(pool, queues, { graceMs: o.graceMs, maxLosses: o.maxLosses ?? 3, batch: limit }, logger);
  const acted = weftMetrics.sweeperActions;
  acted.inc({ action: 'run_woken' }, wakeJobs.length);
  acted.inc({ action: 'step_timed_out' }, timedOut.jobs.length);
  acted.inc({ action: 'lost_step_requeued' }, lost.requeued);
  acted.inc({ action: 'lost_step_failed' }, lost.failed);
  return wakeJobs.length + timedOut.jobs.length + lost.requeued + lost.failed;
}

export function startSweeper(pool: Pool, queues: Queues, o: SweeperOptions & { logger: Logger }): { stop(): Promise<void> } {
  const cursor: ReconcileCursor = {};
  return startTicker(o.intervalMs, () =>
    sweepOnce(pool, queues, o, o.logger)
      .then(() => reconcileOnce(pool, queues, o.reconcileAfterMs, o.logger, undefined, cursor))
      .catch((err: unknown) => o.logger.warn({ err }, 'sweep failed')),
  );
}
