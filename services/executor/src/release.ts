import { jobFor, type Queues } from '@weft/queue';
import { insertOutbox, publishOutbox, rows, withTx } from '@weft/run-store';
import type { Logger } from '@weft/logger';
import type { Pool } from 'pg';

/**
 * Graceful shutdown past its grace period: gives the steps this executor still runs back to the
 * queue, so another executor runs them (once) without waiting for their deadline.
 *
 * ONE transaction: each step still `running` goes back to `queued` with fence + 1 (the interrupted
 * attempt's late completion is then discarded as stale) together with the outbox row of its new
 * execute-step job; the jobs are published after commit. A step that finished meanwhile is left
 * alone, and so is a step this executor lost meanwhile: the condition carries the fence each step
 * was claimed with, so a stalled executor whose step was re-queued and claimed by another one
 * cannot take it back. The attempt number does not change: an interrupted attempt is not a failed one.
 */
export async function releaseSteps(pool: Pool, queues: Queues, steps: readonly { id: string; fence: number }[], logger: Logger): Promise<string[]> {
  if (steps.length === 0) return [];
  const { jobs, ids } = await withTx(pool, async (c) => {
    const released = await rows<{ id: string; run_id: string; fence: number }>(
      c,
      `UPDATE run_steps s SET status = 'queued', fence = s.fence + 1, started_at = NULL, deadline_at = NULL, lease_expires_at = NULL, available_at = now()
       FROM unnest($1::uuid[], $2::int[]) AS h(id, fence)
       WHERE s.id = h.id AND s.fence = h.fence AND s.status = 'running'
       RETURNING s.id, s.run_id, s.fence`,
      [steps.map((s) => s.id), steps.map((s) => s.fence)],
    );
    const jobs = released.map((s) => jobFor.executeStep(s.run_id, s.id, s.fence));
    return { jobs, ids: await insertOutbox(c, null, jobs) };
  });
  await publishOutbox(pool, queues, ids, jobs, logger);
  return jobs.map((j) => j.payload.stepId);
}
