import { newId } from '@weft/db';
import { jobFor } from '@weft/queue';
import { insertOutbox, publishOutbox, rows, withTx } from '@weft/run-store';
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
 * ONE statement picks the runs (skipping those another request is retrying: SKIP LOCKED and
 * `retry_request IS NULL`), records the request on each and writes the outbox rows that wake the
 * orchestrator; the jobs are published after commit. Iteration runs and sub-workflow children
 * are left out: their parent's retry re-runs them.
 */
export async function bulkRetry(res: Resources, caller: Principal, workflowId: string, body: BulkRetryBody): Promise<BulkRetryResult> {
  const orgId = caller.orgId;
  const [wf] = await rows<{ id: string }>(res.db.pool, 'SELECT id FROM workflows WHERE id = $1 AND org_id = $2', [workflowId, orgId]);
  if (!wf) throw notFound('workflow', workflowId);
  const batch = newId();
  const { picked, jobs, ids } = await withTx(res.db.pool, async (c) => {
    const picked = await rows<{ run_id: string; more: boolean }>(
    c,
    `WITH candidates AS (
       SELECT id FROM runs
       WHERE org_id = $1 AND workflow_id = $2 AND status = $3 AND kind = 'run' AND parent_run_id IS NULL
         AND retry_request IS NULL
         AND ($4::timestamptz IS NULL OR created_at >= $4) AND ($5::timestamptz IS NULL OR created_at < $5)
       ORDER BY id
       LIMIT $6 + 1
       FOR UPDATE SKIP LOCKED),
     upd AS (
       UPDATE runs r SET retry_request = jsonb_build_object('fromNodeId', NULL, 'requestedAt', now(), 'bulk', $7::text), updated_at = now()
       FROM (SELECT id FROM candidates ORDER BY id LIMIT $6) c
       WHERE r.id = c.id
       RETURNING r.id)
     SELECT id AS run_id, (SELECT count(*) FROM candidates) > $6 AS more FROM upd ORDER BY id`,
    [orgId, workflowId, body.status, body.since ?? null, body.until ?? null, body.limit, batch],
  );
    const jobs = picked.map((r) => jobFor.retryRequested(r.run_id, batch));
    if (picked.length) {
      await writeAudit(c, { ...auditActor(caller), action: 'workflow.runs_retry_requested', targetType: 'workflow', targetId: workflowId, data: { status: body.status, runs: picked.length, batch } });
    }
    return { picked, jobs, ids: await insertOutbox(c, orgId, jobs) };
  });
  await publishOutbox(res.db.pool, res.queues, ids, jobs, res.logger);
  const more = picked.length > 0 ? picked[0]!.more : false;
  return { runIds: picked.map((r) => r.run_id), more };
}
