import { publishOutbox, requestBulkRetry, rows, withTx } from '@weft/run-store';
import type { BulkRetryBody } from '@weft/workflow-schema';
import { notFound } from '../../errors';
import type { Principal } from '../../auth/api-keys';
import type { Resources } from '../../resources';
import { auditActor, writeAudit } from '../audit/audit-writer';

export interface BulkRetryResult {
  runIds: string[];
  more: boolean;
}

/**
 * The redrive path for dead letters: asks for every failed (or cancelled) top-level run of a
 * workflow to be retried in place (its failed steps), oldest first, `limit` at a time.
 *
 * One transaction (`requestBulkRetry`) picks the runs (skipping those another request is retrying:
 * SKIP LOCKED and `retry_request IS NULL`), records the request on each and writes the outbox rows
 * that wake the orchestrator, with the audit entry; the jobs are published after commit. Iteration
 * runs and sub-workflow children are left out: their parent's retry re-runs them.
 */
export async function bulkRetry(res: Resources, caller: Principal, workflowId: string, body: BulkRetryBody): Promise<BulkRetryResult> {
  const orgId = caller.orgId;
  const [wf] = await rows<{ id: string }>(res.db.pool, 'SELECT id FROM workflows WHERE id = $1 AND org_id = $2', [workflowId, orgId]);
  if (!wf) throw notFound('workflow', workflowId);
  const picked = await withTx(res.db.pool, async (c) => {
    const picked = await requestBulkRetry(c, orgId, workflowId, body);
    if (picked.runIds.length) {
      await writeAudit(c, { ...auditActor(caller), action: 'workflow.runs_retry_requested', targetType: 'workflow', targetId: workflowId, data: { status: body.status, runs: picked.runIds.length, batch: picked.batch } });
    }
    return picked;
  });
  await publishOutbox(res.db.pool, res.queues, picked.ids, picked.jobs, res.logger);
  return { runIds: picked.runIds, more: picked.more };
}
