import { newId } from '@weft/db';
import { JOBS, jobFor } from '@weft/queue';
import { publishOutbox, rows } from '@weft/run-store';
import type { RetryRunBody } from '@weft/workflow-schema';
import { AppError } from '../../errors';
import type { Principal } from '../../auth/api-keys';
import type { Resources } from '../../resources';
import { loadRunGraph } from './run-graph';

/**
 * Asks for a failed or cancelled run to be retried in place (its failed steps, or everything from
 * `fromNodeId`). In ONE statement: records the request on the run, only if none is pending, with
 * the outbox row that wakes the orchestrator, which consumes the request, and the audit entry.
 */
export async function retryRun(res: Resources, caller: Principal, runId: string, body: RetryRunBody): Promise<void> {
  const orgId = caller.orgId;
  const run = await loadRunGraph(res.db.pool, orgId, runId); // 404 for a run of another org
  if (body.fromNodeId !== undefined && !run.nodes.has(body.fromNodeId)) {
    const message = `the run's workflow has no node "${body.fromNodeId}"`;
    throw new AppError('validation_failed', message, [{ path: 'body.fromNodeId', code: 'unknown_node', message, nodeId: body.fromNodeId }]);
  }
  // Every retry is a new request, so its wake-up job gets a fresh id.
  const job = jobFor.retryRequested(runId, newId());
  const [row] = await rows<{ outbox_id: string }>(
    res.db.pool,
    `WITH upd AS (
       UPDATE runs SET retry_request = jsonb_build_object('fromNodeId', $3::text, 'requestedAt', now()), updated_at = now()
       WHERE id = $1 AND org_id = $2 AND status IN ('failed', 'cancelled') AND retry_request IS NULL
       RETURNING id, org_id),
     au AS (
       INSERT INTO audit_logs (id, org_id, actor_type, actor_id, action, target_type, target_id, data)
       SELECT $7::uuid, org_id, 'api_key', $8::text, 'run.retry_requested', 'run', id::text, jsonb_build_object('fromNodeId', $3::text) FROM upd)
     INSERT INTO outbox (org_id, queue, job_name, job_id, payload)
     SELECT org_id, $4, $5, $6, jsonb_build_object('runId', id) FROM upd
     RETURNING id AS outbox_id`,
    [runId, orgId, body.fromNodeId ?? null, JOBS[job.name].queue, job.name, job.jobId, newId(), caller.keyId],
  );
  if (row) return publishOutbox(res.db.pool, res.queues, [row.outbox_id], [job], res.logger);
  // Nothing changed: say why from the committed row (the status may have moved since the read above).
  const [now] = await rows<{ status: string; pending: boolean }>(
    res.db.pool,
    'SELECT status, retry_request IS NOT NULL AS pending FROM runs WHERE id = $1 AND org_id = $2',
    [runId, orgId],
  );
  if (now?.pending) throw new AppError('invalid_state', `run ${runId} already has a retry pending`);
  throw new AppError('invalid_state', `run ${runId} is ${now?.status ?? run.status}; only failed or cancelled runs can be retried`);
}
