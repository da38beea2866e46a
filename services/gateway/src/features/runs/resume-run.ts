import { RESUMABLE_TYPES as RESUMABLE, latestStepOfNode, publishOutbox, resolveApproval, withTx } from '@weft/run-store';
import { TERMINAL_RUN_STATUSES, type ResumeRunBody } from '@weft/workflow-schema';
import { AppError } from '../../errors';
import type { Resources } from '../../resources';
import { auditActor, writeAudit } from '../audit/audit-writer';
import type { Principal } from '../../auth/principal';
import { checkApprovalAssignee } from './approval-assignees';
import { loadRunGraph } from './run-graph';
import { storableJson } from './value-limits';

/**
 * Resolves the approval a run waits on. In one transaction (`resolveApproval`): the waiting
 * wait_for_approval step becomes `succeeded` with handle approved/rejected, the payload as output
 * and who decided in its input, plus the outbox row that wakes the orchestrator. Only a `waiting`
 * step matches, so a second resolution changes nothing and answers 409. The audit entry
 * (run.approved / run.rejected) is written in the same transaction. When the node names assignees,
 * only they decide (approval-assignees.ts).
 */
export async function resumeRun(res: Resources, auth: Principal, runId: string, body: ResumeRunBody): Promise<void> {
  const payload = body.payload === undefined || body.payload === null ? null : storableJson(res, body.payload, 'body.payload', 'the approval payload');
  // An approval with assignees is decided by them only (403 for anyone else, before anything changes).
  await checkApprovalAssignee(res.db.pool, auth, runId, body.nodeId);
  // A step is resolved once, so its wake-up (`approval-resolved`, one id per step) is published once.
  const { jobs, ids } = await withTx(res.db.pool, async (c) => {
    const resolved = await resolveApproval(c, { orgId: auth.orgId, runId, nodeId: body.nodeId, decision: body.decision, payloadJson: payload, keyId: decidedBy(auth) });
    if (resolved.stepIds.length) {
      await writeAudit(c, {
        ...auditActor(auth), action: body.decision === 'approve' ? 'run.approved' : 'run.rejected',
        targetType: 'run', targetId: runId, data: { nodeId: body.nodeId, stepId: resolved.stepIds[0]! },
      });
    }
    return resolved;
  });
  if (jobs.length) {
    await publishOutbox(res.db.pool, res.queues, ids, jobs, res.logger);
    return;
  }
  throw await whyNotWaiting(res, auth.orgId, runId, body.nodeId);
}

/** Who decided, as the step's input records it (`resolution.keyId`): the key's id, or `user:<id>` for a session. */
const decidedBy = (p: Principal) => (p.kind === 'key' ? p.keyId : `user:${p.userId}`);

/** Nothing was resolved: find out why (read only) and say it precisely. */
async function whyNotWaiting(res: Resources, orgId: string, runId: string, nodeId: string): Promise<AppError> {
  const run = await loadRunGraph(res.db.pool, orgId, runId); // 404 for a run of another org
  const type = run.nodes.get(nodeId);
  if (!type || !RESUMABLE.has(type)) {
    const message = type ? `node "${nodeId}" is a ${type} node, not ${[...RESUMABLE].join(' or ')}` : `the run's workflow has no node "${nodeId}"`;
    return new AppError('validation_failed', message, [{ path: 'body.nodeId', code: type ? 'not_an_approval_node' : 'unknown_node', message, nodeId }]);
  }
  const last = await latestStepOfNode(res.db.pool, orgId, runId, nodeId);
  if (last && (last.status === 'succeeded' || last.status === 'failed')) {
    const outcome = last.status === 'succeeded' ? (last.handle ?? 'resolved') : 'failed (timed out or errored)';
    return new AppError('already_resolved', `approval "${nodeId}" of run ${runId} was already resolved: ${outcome}`);
  }
  if (run.cancelRequested && !TERMINAL_RUN_STATUSES.has(run.status)) return new AppError('invalid_state', `run ${runId} is being cancelled`);
  const step = last ? `its step is ${last.status}` : 'it has not been reached';
  return new AppError('invalid_state', `run ${runId} (${run.status}) is not waiting for approval "${nodeId}": ${step}`);
}
