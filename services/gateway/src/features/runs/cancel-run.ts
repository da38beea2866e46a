import { JOBS, jobFor } from '@weft/queue';
import { publishOutbox, rows } from '@weft/run-store';
import { TERMINAL_RUN_STATUSES, type RunStatus } from '@weft/workflow-schema';
import { AppError, notFound } from '../../errors';
import { newId } from '@weft/db';
import type { Principal } from '../../auth/api-keys';
import type { Resources } from '../../resources';

/**
 * Asks for a run to be cancelled: in ONE statement, marks `cancel_requested_at` (only on a live
 * run not already asked) and writes the outbox row that wakes the orchestrator, which turns the
 * request into the `cancelled` status and aborts running steps. Asking again while the request is
 * pending is accepted again; a run that already ended answers 409. The request that marks the
 * run writes its audit entry in the same statement.
 */
export async function cancelRun(res: Resources, caller: Principal, runId: string): Promise<void> {
  const orgId = caller.orgId;
  const job = jobFor.cancelRequested(runId);
  const [row] = await rows<{ status: RunStatus; already: boolean; outbox_id: string | null }>(
    res.db.pool,
    `WITH cur AS (
       SELECT status, cancel_requested_at IS NOT NULL AS already FROM runs WHERE id = $1 AND org_id = $2),
     upd AS (
       UPDATE runs SET cancel_requested_at = now(), updated_at = now()
       WHERE id = $1 AND org_id = $2 AND status IN ('queued', 'running', 'waiting') AND cancel_requested_at IS NULL
       RETURNING id, org_id),
     au AS (
       INSERT INTO audit_logs (id, org_id, actor_type, actor_id, action, target_type, target_id)
       SELECT $6::uuid, org_id, 'api_key', $7::text, 'run.cancel_requested', 'run', id::text FROM upd),
     ob AS (
       INSERT INTO outbox (org_id, queue, job_name, job_id, payload)
       SELECT org_id, $3, $4, $5, jsonb_build_object('runId', id) FROM upd
       RETURNING id)
     SELECT cur.status, cur.already, (SELECT id FROM ob) AS outbox_id FROM cur`,
    [runId, orgId, JOBS[job.name].queue, job.name, job.jobId, newId(), caller.keyId],
  );
  if (!row) throw notFound('run', runId);
  if (row.outbox_id) {
    await publishOutbox(res.db.pool, res.queues, [row.outbox_id], [job], res.logger);
    return;
  }
  if (TERMINAL_RUN_STATUSES.has(row.status)) throw ended(runId, row.status);
  if (row.already) return;
  // Nothing changed although the statement's snapshot saw a live run: a concurrent writer won
  // (another cancel, or the run just ended). Decide on the committed row.
  const [now] = await rows<{ status: RunStatus; already: boolean }>(
    res.db.pool,
    'SELECT status, cancel_requested_at IS NOT NULL AS already FROM runs WHERE id = $1 AND org_id = $2',
    [runId, orgId],
  );
  const status = now?.status ?? row.status;
  if (now?.already && !TERMINAL_RUN_STATUSES.has(status)) return;
  throw ended(runId, status);
}

const ended = (runId: string, status: RunStatus) =>
  new AppError('invalid_state', `run ${runId} is already ${status}; only queued, running or waiting runs can be cancelled`);
