import { JOBS, jobFor, type JobEnvelope, type Queues } from '@weft/queue';
import type { Pool } from 'pg';

/**
 * Alert deliveries whose deliver-alert job Redis no longer holds. A delivery is an
 * `alert_deliveries` row first (written with its outbox row in the evaluation's transaction), so
 * Postgres says what must still be sent: a row `pending` for `afterMs` whose job (`alert.<id>`) is
 * in none of BullMQ's deliverable lists (lost in a flush, or ended while the row stayed pending)
 * gets it again with the same job id. A job still waiting, in backoff (delayed) or running is
 * left alone, so a delivery is never doubled; a duplicate would find the row settled or locked anyway.
 */
export async function lostAlertDeliveries(pool: Pool, queues: Queues, o: { afterMs: number; limit: number; after: string }): Promise<{ ids: string[]; jobs: JobEnvelope[] }> {
  const { rows } = await pool.query<{ id: string }>(
    `SELECT id FROM alert_deliveries
     WHERE status = 'pending' AND id > $1::uuid AND created_at < now() - make_interval(secs => $2::float8 / 1000)
     ORDER BY id LIMIT $3`,
    [o.after, o.afterMs, o.limit],
  );
  const alerts = queues.queue(JOBS['deliver-alert'].queue);
  const jobs: JobEnvelope[] = [];
  for (const { id } of rows) {
    const job = jobFor.deliverAlert(id);
    if (DELIVERABLE.has(await alerts.getJobState(job.jobId))) continue;
    // An ended job (or a hash no list holds) blocks an add with its id: remove it first.
    await alerts.remove(job.jobId).catch(() => undefined);
    jobs.push(job);
  }
  return { ids: rows.map((r) => r.id), jobs };
}

/** Job states from which BullMQ still delivers a job (`active`: a worker holds it, or the stalled check returns it to the wait list). */
export const DELIVERABLE = new Set(['waiting', 'delayed', 'prioritized', 'active', 'waiting-children']);
