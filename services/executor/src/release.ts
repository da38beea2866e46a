import { JOBS, type JobEnvelope, type Queues } from '@weft/queue';
import { publishOutbox, rows } from '@weft/run-store';
import type { Logger } from '@weft/logger';
import type { Pool } from 'pg';

/**
 * Graceful shutdown past its grace period: gives the steps this executor still runs back to the
 * queue, so another executor runs them (once) without waiting for their deadline.
 *
 * ONE statement: each step still `running` goes back to `queued` with fence + 1 (the interrupted
 * attempt's late completion is then discarded as stale) together with the outbox row of its new
 * execute-step job; the jobs are published after commit. A step that finished meanwhile is left
 * alone, and so is a step this executor lost meanwhile: the condition carries the fence each step
 * was claimed with, so a stalled executor whose step was re-queued and claimed by another one
 * cannot take it back. The attempt number does not change: an interrupted attempt is not a failed one.
 */
export async function releaseSteps(pool: Pool, queues: Queues, steps: readonly { id: string; fence: number }[], logger: Logger): Promise<string[]> {
  if (steps.length === 0) return [];
  const released = await rows<{ outbox_id: string; step_id: string; run_id: string; job_id: string }>(
    pool,
    `WITH rel AS (
       UPDATE run_steps s SET status = 'queued', fence = s.fence + 1, started_at = NULL, deadline_at = NULL, lease_expires_at = NULL, available_at = now()
       FROM unnest($1::uuid[], $3::int[]) AS h(id, fence)
       WHERE s.id = h.id AND s.fence = h.fence AND s.status = 'running'
       RETURNING s.id, s.org_id, s.run_id, s.fence)
     INSERT INTO outbox (org_id, queue, job_name, job_id, payload)
     SELECT org_id, $2, 'execute-step', 'step.' || id || '.' || fence, jsonb_build_object('stepId', id, 'runId', run_id) FROM rel
     RETURNING id AS outbox_id, payload->>'stepId' AS step_id, payload->>'runId' AS run_id, job_id`,
    [steps.map((s) => s.id), JOBS['execute-step'].queue, steps.map((s) => s.fence)],
  );
  const jobs: JobEnvelope<'execute-step'>[] = released.map((r) => ({ name: 'execute-step', jobId: r.job_id, payload: { stepId: r.step_id, runId: r.run_id } }));
  await publishOutbox(pool, queues, released.map((r) => r.outbox_id), jobs, logger);
  return released.map((r) => r.step_id);
}
