import { jobFor } from '@weft/queue';
import { typesWith } from '@weft/workflow-schema';
import type { PoolClient } from 'pg';
import { outboxed, type Outboxed } from './outbox';
import { ofOrg } from './rules';
import { rows, sqlNameList, type Queryable } from './sql';

/** The types a person resumes: the `resumable` trait of their kind (the `waiting` kind: wait_for_approval). */
export const RESUMABLE_TYPES: ReadonlySet<string> = typesWith('resumable');
const RESUMABLE_SQL = sqlNameList(RESUMABLE_TYPES);

/** A person's decision on an approval a run waits on. */
export interface Resolution {
  orgId: string;
  runId: string;
  nodeId: string;
  decision: 'approve' | 'reject';
  /** The payload as JSON text (the step's output), or null. */
  payloadJson: string | null;
  /** The API key that decided (kept in the step's input). */
  keyId: string;
}

/**
 * Inside the caller's transaction: the waiting approval step of the node becomes `succeeded` with
 * handle approved/rejected, the payload as output and who decided in its input, with the outbox
 * row of its `approval-resolved` job. Only a `waiting` step of a run not being cancelled matches,
 * so a second resolution changes nothing (no jobs).
 */
export async function resolveApproval(c: PoolClient, r: Resolution): Promise<{ stepIds: string[] } & Outboxed> {
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
     WHERE r.id = s.run_id AND r.id = $1 AND ${ofOrg('r', '$2')} AND r.cancel_requested_at IS NULL
       AND s.node_id = $3 AND s.status = 'waiting' AND s.node_type IN (${RESUMABLE_SQL})
     RETURNING s.id`,
    [r.runId, r.orgId, r.nodeId, r.decision, r.payloadJson, r.keyId],
  );
  return { stepIds: resolved.map((s) => s.id), ...(await outboxed(c, r.orgId, resolved.map((s) => jobFor.approvalResolved(r.runId, s.id)))) };
}

/** The latest attempt of a node in a run of the org: its status and handle, or undefined before it is reached. */
export async function latestStepOfNode(q: Queryable, orgId: string, runId: string, nodeId: string): Promise<{ status: string; handle: string | null } | undefined> {
  const [last] = await rows<{ status: string; handle: string | null }>(
    q,
    `SELECT status, handle FROM run_steps WHERE run_id = $1 AND ${ofOrg('', '$2')} AND node_id = $3 ORDER BY attempt DESC LIMIT 1`,
    [runId, orgId, nodeId],
  );
  return last;
}
