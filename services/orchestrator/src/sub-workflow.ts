import { newId } from '@weft/db';
import { renderTemplate, serializeWithin, type Budget } from '@weft/engine';
import { jobFor } from '@weft/queue';
import { rows } from '@weft/run-store';
import { ControlError } from './control-error';
import { overLimit } from './limits';
import { insertSteps } from './step-rows';
import type { Transition } from './transition-context';

/** sub_workflow: a waiting step and a child run (same org) whose end settles the step; its inputs are rendered within the step's budget. */
export async function startChildRun(t: Transition, base: { nodeId: string; nodeType: string; attempt: number }, config: Record<string, unknown>, budget: Budget) {
  const maxDepth = t.limits.maxSubWorkflowDepth;
  const [depth] = await rows<{ d: number }>(
    t.c,
    `WITH RECURSIVE chain(id, parent, d) AS (
       SELECT id, parent_run_id, 1 FROM runs WHERE id = $1
       UNION ALL SELECT r.id, r.parent_run_id, chain.d + 1 FROM runs r JOIN chain ON r.id = chain.parent WHERE chain.d < $2)
     SELECT max(d)::int AS d FROM chain`,
    [t.run.id, maxDepth + 1],
  );
  // This run is `d` levels deep (counting the loops' iteration runs on the way); its child would be d + 1.
  const levels = (depth?.d ?? 0) + 1;
  if (levels > maxDepth) throw overLimit('maxSubWorkflowDepth', t.limits, levels, `node "${base.nodeId}" would nest runs ${levels} levels deep (a sub-workflow calling itself?)`);
  const [version] = await rows<{ id: string; workflow_id: string }>(
    t.c,
    `SELECT v.id, v.workflow_id FROM workflows w JOIN workflow_versions v ON v.workflow_id = w.id
     WHERE w.id = $1 AND w.org_id = $2 AND v.version = COALESCE($3::int, w.latest_version)`,
    [config.workflowId, t.run.org_id, config.version ?? null],
  );
  if (!version) {
    throw new ControlError('workflow_not_found', `workflow ${String(config.workflowId)}${config.version ? ` version ${String(config.version)}` : ''} was not found or has no published version`);
  }
  const inputs = config.input === undefined ? {} : renderTemplate(config.input, await t.context(), budget);
  const inputsJson = serializeWithin(inputs ?? {}, t.limits.evaluation, `the inputs of the sub-workflow of node "${base.nodeId}"`);
  const childId = newId();
  const [stepId] = insertSteps(t, [{ ...base, status: 'waiting', input: { workflowId: version.workflow_id, workflowVersionId: version.id, childRunId: childId } }]);
  await t.c.query(
    `INSERT INTO runs (id, org_id, workflow_id, workflow_version_id, status, inputs, parent_run_id, parent_step_id, last_seq, trigger_type, trigger_id)
     VALUES ($1, $2, $3, $4, 'queued', $5, $6, $7, 1, 'sub_workflow', $6)`,
    [childId, t.run.org_id, version.workflow_id, version.id, inputsJson, t.run.id, stepId],
  );
  await t.c.query(
    `INSERT INTO run_events (id, org_id, run_id, seq, type, data) VALUES ($1, $2, $3, 1, 'run.created', $4)`,
    [newId(), t.run.org_id, childId, JSON.stringify({ workflowVersionId: version.id, parentRunId: t.run.id, parentStepId: stepId })],
  );
  t.jobs.push(jobFor.startRun(childId));
  t.log.push('child_run.started', { attempt: base.attempt, childRunId: childId }, base.nodeId, stepId!);
}

/**
 * When a run with a parent ends, settle what waits for it: a sub_workflow step takes the child's
 * output or failure; a for_each step counts one more finished item. Conditional updates make a
 * late or repeated notice change nothing (e.g. the parent was cancelled meanwhile).
 */
export async function notifyParent(t: Transition, status: 'succeeded' | 'failed' | 'cancelled', output: unknown, error: unknown) {
  if (!t.run.parent_step_id) return;
  const settled =
    t.run.kind === 'iteration'
      ? await rows<{ run_id: string }>(
          t.c,
          `UPDATE run_steps SET items_done = items_done + 1, items_failed = items_failed + $2
           WHERE id = $1 AND status = 'running' RETURNING run_id`,
          [t.run.parent_step_id, status === 'succeeded' ? 0 : 1],
        )
      : await rows<{ run_id: string }>(
          t.c,
          `UPDATE run_steps SET status = $2, output = $3, error = $4, finished_at = clock_timestamp()
           WHERE id = $1 AND status = 'waiting' RETURNING run_id`,
          [
            t.run.parent_step_id,
            status === 'succeeded' ? 'succeeded' : 'failed',
            status === 'succeeded' ? JSON.stringify(output ?? null) : null,
            status === 'succeeded' ? null : JSON.stringify({ code: 'sub_workflow_failed', message: `child run ${t.run.id} ${status}: ${(error as { message?: string } | null)?.message ?? status}`, retryable: false, details: { runId: t.run.id } }),
          ],
        );
  if (settled[0]) t.jobs.push(jobFor.childSettled(settled[0].run_id, t.run.id, t.log.lastSeq));
}

/** Cancels the child runs of sub_workflow / for_each steps: not-started items at once, others by request. */
export async function cancelChildren(t: Transition, stepIds: string[]) {
  if (stepIds.length === 0) return;
  await t.c.query(`UPDATE runs SET status = 'cancelled', finished_at = clock_timestamp() WHERE parent_step_id = ANY($1::uuid[]) AND status = 'pending'`, [stepIds]);
  const active = await rows<{ id: string }>(
    t.c,
    `UPDATE runs SET cancel_requested_at = now() WHERE parent_step_id = ANY($1::uuid[])
     AND status IN ('queued', 'running', 'waiting') AND cancel_requested_at IS NULL RETURNING id`,
    [stepIds],
  );
  for (const { id } of active) t.jobs.push(jobFor.cancelRequested(id));
}
