import type { Queryable } from '../sql';
import { meterRunsFrom } from '../usage';

/** How many runs deep a run is (itself 1, its parent 2, …), counted up to `cap`. */
export async function runDepth(q: Queryable, runId: string, cap: number): Promise<number> {
  const { rows } = await q.query<{ d: number }>(
    `WITH RECURSIVE chain(id, parent, d) AS (
       SELECT id, parent_run_id, 1 FROM runs WHERE id = $1
       UNION ALL SELECT r.id, r.parent_run_id, chain.d + 1 FROM runs r JOIN chain ON r.id = chain.parent WHERE chain.d < $2)
     SELECT max(d)::int AS d FROM chain`,
    [runId, cap],
  );
  return rows[0]?.d ?? 0;
}

/** A published version of a workflow of the org: `version`, or the latest when null; undefined when there is none. */
export async function findWorkflowVersion(q: Queryable, orgId: string, workflowId: string, version: number | null): Promise<{ id: string; workflowId: string } | undefined> {
  const { rows } = await q.query<{ id: string; workflow_id: string }>(
    `SELECT v.id, v.workflow_id FROM workflows w JOIN workflow_versions v ON v.workflow_id = w.id
     WHERE w.id = $1 AND w.org_id = $2 AND v.version = COALESCE($3::int, w.latest_version)`,
    [workflowId, orgId, version],
  );
  return rows[0] && { id: rows[0].id, workflowId: rows[0].workflow_id };
}

/** A sub_workflow's child run (same org, `queued`, triggered by its parent run, on behalf of the parent's creator) and its run.created event, in two statements of the parent's transaction. */
export async function insertChildRun(
  q: Queryable,
  child: { id: string; orgId: string; workflowId: string; workflowVersionId: string; inputsJson: string; parentRunId: string; parentStepId: string; createdEventId: string },
): Promise<void> {
  await q.query(
    `WITH run AS (
       INSERT INTO runs (id, org_id, workflow_id, workflow_version_id, status, inputs, parent_run_id, parent_step_id, last_seq, trigger_type, trigger_id, created_by, trace_parent)
       SELECT $1, $2, $3, $4, 'queued', $5, $6, $7, 1, 'sub_workflow', $6, p.created_by, p.trace_parent FROM (SELECT (SELECT created_by FROM runs WHERE id = $6) AS created_by, (SELECT trace_parent FROM runs WHERE id = $6) AS trace_parent) p
       RETURNING id, org_id, workflow_id)
     ${meterRunsFrom('run')}`,
    [child.id, child.orgId, child.workflowId, child.workflowVersionId, child.inputsJson, child.parentRunId, child.parentStepId],
  );
  await q.query(`INSERT INTO run_events (id, org_id, run_id, seq, type, data) VALUES ($1, $2, $3, 1, 'run.created', $4)`, [
    child.createdEventId,
    child.orgId,
    child.id,
    JSON.stringify({ workflowVersionId: child.workflowVersionId, parentRunId: child.parentRunId, parentStepId: child.parentStepId }),
  ]);
}

/** Cancels the child runs of steps (sub_workflow, for_each): not-started ones at once; the ids of the active ones, whose cancel is requested. */
export async function cancelChildRuns(q: Queryable, stepIds: readonly string[]): Promise<string[]> {
  if (stepIds.length === 0) return [];
  await q.query(`UPDATE runs SET status = 'cancelled', finished_at = clock_timestamp() WHERE parent_step_id = ANY($1::uuid[]) AND status = 'pending'`, [stepIds]);
  const { rows } = await q.query<{ id: string }>(
    `UPDATE runs SET cancel_requested_at = now() WHERE parent_step_id = ANY($1::uuid[])
     AND status IN ('queued', 'running', 'waiting') AND cancel_requested_at IS NULL RETURNING id`,
    [stepIds],
  );
  return rows.map((r) => r.id);
}

/**
 * A child run ended: its parent's waiting sub_workflow step takes its output or failure. Returns
 * the parent run's id, or undefined when the step no longer waits (a late or repeated notice).
 */
export async function settleParentStep(q: Queryable, parentStepId: string, outcome: { status: 'succeeded' | 'failed'; output: unknown; error: unknown }): Promise<string | undefined> {
  const { rows } = await q.query<{ run_id: string }>(
    `UPDATE run_steps SET status = $2, output = $3, error = $4, finished_at = clock_timestamp()
     WHERE id = $1 AND status = 'waiting' RETURNING run_id`,
    [parentStepId, outcome.status, outcome.status === 'succeeded' ? JSON.stringify(outcome.output ?? null) : null, outcome.status === 'succeeded' ? null : JSON.stringify(outcome.error)],
  );
  return rows[0]?.run_id;
}
