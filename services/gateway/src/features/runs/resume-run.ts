import { jobFor } from '@weft/queue';
import { insertOutbox, publishOutbox, rows, sqlNameList, withTx } from '@weft/run-store';
import { TERMINAL_RUN_STATUSES, typesOfKind, type ResumeRunBody } from '@weft/workflow-schema';
import { AppError } from '../../errors';
import type { Resources } from '../../resources';
import { writeAudit } from '../audit/audit-writer';
import { loadRunGraph } from './run-graph';
import { storableJson } from './value-limits';

/** The types a person resumes through this route: the `waiting` kind of the catalog (wait_for_approval). */
const RESUMABLE = typesOfKind('waiting');
const RESUMABLE_SQL = sqlNameList(RESUMABLE);

/**
 * Resolves the approval a run waits on. In ONE statement: the waiting wait_for_approval step
 * becomes `succeeded` with handle approved/rejected, the payload as output and who decided in its
 * input, plus the outbox row that wakes the orchestrator. Only a `waiting` step matches, so a
 * second resolution changes nothing and answers 409. The audit entry (run.approved / run.rejected)
 * is written in the same transaction.
 */
export async function resumeRun(res: Resources, auth: { orgId: string; keyId: string }, runId: string, body: ResumeRunBody): Promise<void> {
  const payload = body.payload === undefined || body.payload === null ? null : storableJson(res, body.payload, 'body.payload', 'the approval payload');
  // A step is resolved once, so its wake-up (`approval-resolved`, one id per step) is published once.
  const { jobs, ids } = await withTx(res.db.pool, async (c) => {
    const resolved = await rows<{ id: string }>(
      c,
      `UPDATE run_steps s
       SET status = 'succeeded',
           handle = CASE $4::text WHEN 'approve' THEN 'approved' ELSE 'rejected' END,
           output = $5::jsonb,
           finished_at = now(),
           input = CASE WHEN jsonb_typeof(s.input) = 'object' THEN s.input ELSE '{}'::jsonb END
                   || jsonb_build_object('resolution', jsonb_build_object('decision', $4::text, 'keyId', $6::text, 'resolvedAt', now()))
       FROM runs r
       WHERE r.id = s.run_id AND r.id = $1 AND r.org_id = $2 AND r.cancel_requested_at IS NULL
         AND s.node_id = $3 AND s.status = 'waiting' AND s.node_type IN (${RESUMABLE_SQL})
       RETURNING s.id`,
      [runId, auth.orgId, body.nodeId, body.decision, payload, auth.keyId],
    );
    const jobs = resolved.map((s) => jobFor.approvalResolved(runId, s.id));
    if (resolved.length) {
      await writeAudit(c, {
        orgId: auth.orgId, actorType: 'api_key', actorId: auth.keyId, action: body.decision === 'approve' ? 'run.approved' : 'run.rejected',
        targetType: 'run', targetId: runId, data: { nodeId: body.nodeId, stepId: resolved[0]!.id },
      });
    }
    return { jobs, ids: await insertOutbox(c, auth.orgId, jobs) };
  });
  if (jobs.length) {
    await publishOutbox(res.db.pool, res.queues, ids, jobs, res.logger);
    return;
  }
  throw await whyNotWaiting(res, auth.orgId, runId, body.nodeId);
}

/** Nothing was resolved: find out why (read only) and say it precisely. */
async function whyNotWaiting(res: Resources, orgId: string, runId: string, nodeId: string): Promise<AppError> {
  const run = await loadRunGraph(res.db.pool, orgId, runId); // 404 for a run of another org
  const type = run.nodes.get(nodeId);
  if (!type || !RESUMABLE.has(type)) {
    const message = type ? `node "${nodeId}" is a ${type} node, not ${[...RESUMABLE].join(' or ')}` : `the run's workflow has no node "${nodeId}"`;
    return new AppError('validation_failed', message, [{ path: 'body.nodeId', code: type ? 'not_an_approval_node' : 'unknown_node', message, nodeId }]);
  }
  const [last] = await rows<{ status: string; handle: string | null }>(
    res.db.pool,
    'SELECT status, handle FROM run_steps WHERE run_id = $1 AND org_id = $2 AND node_id = $3 ORDER BY attempt DESC LIMIT 1',
    [runId, orgId, nodeId],
  );
  if (last && (last.status === 'succeeded' || last.status === 'failed')) {
    const outcome = last.status === 'succeeded' ? (last.handle ?? 'resolved') : 'failed (timed out or errored)';
    return new AppError('already_resolved', `approval "${nodeId}" of run ${runId} was already resolved: ${outcome}`);
  }
  if (run.cancelRequested && !TERMINAL_RUN_STATUSES.has(run.status)) return new AppError('invalid_state', `run ${runId} is being cancelled`);
  const step = last ? `its step is ${last.status}` : 'it has not been reached';
  return new AppError('invalid_state', `run ${runId} (${run.status}) is not waiting for approval "${nodeId}": ${step}`);
}
