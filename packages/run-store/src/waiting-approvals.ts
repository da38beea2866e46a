import { RESUMABLE_TYPES } from './approvals';
import { ofOrg } from './rules';
import { rows, sqlNameList, type Queryable } from './sql';

const RESUMABLE_SQL = sqlNameList(RESUMABLE_TYPES);

/** An approval a run waits on: the node to resume and its rendered prompt. */
export interface WaitingApprovalRow {
  runId: string;
  workflowId: string;
  nodeId: string;
  prompt: string;
  since: Date | null;
}

/**
 * The approvals the org's waiting top-level runs wait on, from `limit` of those runs (newest
 * first, older than `cursor` when given) in one statement: the runs through the index of live runs,
 * each run's waiting steps of a resumable type with a text prompt. `nextCursor`: the last run's id
 * when older waiting runs remain.
 */
export async function waitingApprovalsPage(
  q: Queryable,
  orgId: string,
  page: { limit: number; cursor?: string | undefined },
): Promise<{ items: WaitingApprovalRow[]; nextCursor: string | null }> {
  const runs = await rows<{ id: string; workflow_id: string; approvals: { nodeId: string; prompt: string; since: string | null }[] | null }>(
    q,
    `SELECT r.id, r.workflow_id, a.approvals
       FROM (SELECT id, workflow_id FROM runs
              WHERE ${ofOrg('', '$1')} AND kind = 'run' AND status = 'waiting'${page.cursor ? ' AND id < $3::uuid' : ''}
              ORDER BY id DESC LIMIT $2) r
       LEFT JOIN LATERAL (
         SELECT json_agg(json_build_object('nodeId', s.node_id, 'prompt', s.input ->> 'prompt', 'since', s.started_at) ORDER BY s.node_id) AS approvals
           FROM run_steps s
          WHERE s.run_id = r.id AND ${ofOrg('s', '$1')} AND s.status = 'waiting' AND s.node_type IN (${RESUMABLE_SQL})
            AND jsonb_typeof(s.input -> 'prompt') = 'string'
       ) a ON true
      ORDER BY r.id DESC`,
    [orgId, page.limit + 1, ...(page.cursor ? [page.cursor] : [])],
  );
  const more = runs.length > page.limit;
  const shown = runs.slice(0, page.limit);
  return {
    items: shown.flatMap((r) => (r.approvals ?? []).map((a) => ({ runId: r.id, workflowId: r.workflow_id, nodeId: a.nodeId, prompt: a.prompt, since: a.since === null ? null : new Date(a.since) }))),
    nextCursor: more ? shown[shown.length - 1]!.id : null,
  };
}
