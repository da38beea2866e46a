import type { Logger } from '@weft/logger';
import { weftMetrics } from '@weft/metrics';
import { JOBS, QUEUES, jobFor, type JobEnvelope, type Queues } from '@weft/queue';
import { idleRunCandidates, staleQueuedSteps } from '@weft/run-store';
import type { Pool } from 'pg';
import { DELIVERABLE, lostAlertDeliveries } from './lost-alert-deliveries';

/**
 * Finds work whose job is missing from Redis (lost in a flush, a restart without persistence,
 * or a crash between commit and publish that the outbox did not cover) and publishes it again.
 * Postgres says what should be happening; Redis only carries it.
 * - runs idle for `afterMs` that still have something to fold in (not started, settled steps not
 *   applied, a running for_each, a cancel or retry request) get an advance-run job;
 * - steps `queued` for `afterMs` whose execute-step job no longer exists, or failed before it
 *   could claim the step, get it back with the same deterministic job id, so a job that is still
 *   pending is never doubled;
 * - alert deliveries `pending` for `afterMs` whose deliver-alert job is gone get it back the same
 *   way (lost-alert-deliveries.ts).
 */
export async function reconcileOnce(pool: Pool, queues: Queues, afterMs: number, logger?: Logger, batch = 500, cursor: ReconcileCursor = {}): Promise<number> {
  // started, settled: what says which jobs should already be on their way for this run (its
  // start job, the settled-step jobs of the executor): when one of them still waits in Redis,
  // the run is behind a backlog, not lost.
  const found = await idleRunCandidates(pool, { idleMs: afterMs, limit: batch, after: cursor.runs ?? MIN_UUID });
  cursor.runs = nextPage(found, batch);
  const candidates = found.map((r) => ({
    id: r.id,
    pending: [...(r.started ? [] : [jobFor.startRun(r.id)]), ...(r.settled ?? []).map((s) => jobFor.stepSettled(r.id, s.id, s.status))].map((j) => j.jobId),
  }));
  const runs = await withoutPendingJobs(queues, candidates);
  // One id per run per `afterMs` window, the same in every orchestrator: while a run waits behind
  // a backlog its job is not added again on every pass (a pass-unique id flooded the queue with
  // duplicates, which deepened the backlog that made runs look idle). A new window gives a new id,
  // so a job that failed or was lost is replaced.
  const window = Math.floor(Date.now() / Math.max(afterMs, 1));
  const jobs: JobEnvelope[] = runs.map((r) => jobFor.reconcile(r.id, window));

  const queued = await staleQueuedSteps(pool, { idleMs: afterMs, limit: batch, after: cursor.steps ?? MIN_UUID });
  cursor.steps = nextPage(queued, batch);
  const executor = queues.queue(JOBS['execute-step'].queue);
  for (const s of queued) {
    // The job that delivers a queued step is the one of its current fence: `.0` from the dispatch,
    // `.<fence>` from a re-queue (lost worker, released at shutdown).
    const job = jobFor.executeStep(s.run_id, s.id, s.fence);
    // Its state, not its hash: only a job in one of BullMQ's lists is ever delivered. A hash that
    // no list holds (left by a partial loss: the wait list went, the job's hash stayed) is never
    // delivered, yet blocks an add with its id as a duplicate, so the step waited forever.
    if (DELIVERABLE.has(await executor.getJobState(job.jobId))) continue;
    // Ended while its step is still queued (it failed before the claim: the database was down when
    // it came due; BullMQ keeps failed jobs) or stranded outside every list: an add with its id is
    // ignored while its hash exists, so remove it and deliver the step again with the same id.
    await executor.remove(job.jobId).catch(() => undefined);
    jobs.push(job);
  }
  const stepJobs = jobs.length - runs.length;
  const deliveries = await lostAlertDeliveries(pool, queues, { afterMs, limit: batch, after: cursor.deliveries ?? MIN_UUID });
  cursor.deliveries = nextPage(deliveries.ids.map((id) => ({ id })), batch);
  jobs.push(...deliveries.jobs);
  if (jobs.length) {
    await queues.publish(jobs);
    weftMetrics.reconcilerActions.inc({ action: 'run_republished' }, runs.length);
    weftMetrics.reconcilerActions.inc({ action: 'step_republished' }, stepJobs);
    weftMetrics.reconcilerActions.inc({ action: 'alert_delivery_republished' }, deliveries.jobs.length);
    logger?.warn(
      { runs: runs.length, steps: stepJobs, alertDeliveries: deliveries.jobs.length, jobIds: jobs.slice(0, 20).map((j) => j.jobId) },
      'reconciler re-published work missing from Redis',
    );
  }
  return jobs.length;
}

/**
 * Where the next pass of one reconciler goes on (kept by its caller, changed by each pass). A pass
 * looks at `batch` candidates; without a cursor, more candidates than that (a backlog of runs that
 * only look idle) would hide the others forever, since every pass found the same first ones.
 */
export interface ReconcileCursor {
  runs?: string;
  steps?: string;
  deliveries?: string;
}

const MIN_UUID = '00000000-0000-0000-0000-000000000000';

/** The last id of a full page (the next pass starts after it), or undefined: start over. */
const nextPage = (page: readonly { id: string }[], batch: number): string | undefined => (page.length === batch ? page.at(-1)!.id : undefined);

/**
 * The runs none of whose expected jobs still waits in Redis (waiting, delayed, prioritized). Under a
 * backlog every queued run looks idle; re-publishing them all made the backlog deeper.
 */
async function withoutPendingJobs(queues: Queues, runs: { id: string; pending: string[] }[]): Promise<{ id: string }[]> {
  const orchestrator = queues.queue(QUEUES.orchestrator);
  // Not 'active': a job can stay in the active list of a worker that lost it (its lock vanished in
  // a flush); if it really runs, the extra job finds nothing to do.
  const alive = new Set(['waiting', 'delayed', 'prioritized']);
  const checks = await Promise.all(
    runs.map(async (r) => {
      for (const jobId of r.pending) if (alive.has(await orchestrator.getJobState(jobId))) return false;
      return true;
    }),
  );
  return runs.filter((_, i) => checks[i]);
}
