import { rows, type Queryable } from './sql';

/** An approval step as its links see it (docs/approvals.md): the step, its run and its workflow. */
export interface ApprovalStepForLinks {
  stepId: string;
  orgId: string;
  runId: string;
  nodeId: string;
  nodeType: string;
  /** queued | waiting | succeeded | failed | …: only a `waiting` step can still be decided. */
  status: string;
  /** What the orchestrator stored when the step started waiting: `{ prompt, timeoutMs, notify?, assignees? }`. */
  input: Record<string, unknown> | null;
  /** True once somebody asked to cancel the run. */
  cancelRequested: boolean;
  workflowId: string;
  workflowName: string;
}

/** A step by id (any org: link workers and the public link routes act on ids the server made). */
export async function approvalStepForLinks(q: Queryable, stepId: string): Promise<ApprovalStepForLinks | undefined> {
  const [s] = await rows<ApprovalStepForLinks>(
    q,
    `SELECT s.id AS "stepId", s.org_id AS "orgId", s.run_id AS "runId", s.node_id AS "nodeId", s.node_type AS "nodeType", s.status, s.input,
            r.cancel_requested_at IS NOT NULL AS "cancelRequested", w.id AS "workflowId", w.name AS "workflowName"
     FROM run_steps s JOIN runs r ON r.id = s.run_id JOIN workflows w ON w.id = r.workflow_id
     WHERE s.id = $1`,
    [stepId],
  );
  return s;
}
