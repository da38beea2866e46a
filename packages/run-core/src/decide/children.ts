import { renderTemplate, serializeWithin, type Budget } from '@weft/engine';
import { jobFor } from '@weft/queue';
import type { NodeConfig } from '@weft/workflow-schema';
import { ControlError } from './control-error';
import type { Decision } from './decision';
import { overLimit } from './limits';
import { addSteps } from './step-rows';
import { versionKey, type Base } from './types';

/**
 * sub_workflow: a waiting step and a child run (same org) whose end settles the step; its inputs
 * are rendered within the step's budget. Needs the run's depth and the workflow version looked up.
 */
export function startChildRun(d: Decision, base: Base, config: NodeConfig<'sub_workflow'>, budget: Budget): void {
  const maxDepth = d.limits.maxSubWorkflowDepth;
  const depth = d.read('runDepth');
  const version = lookUpVersion(d, config.workflowId, config.version ?? null);
  if (depth === undefined || version === undefined) return;
  // This run is `depth` levels deep (counting the loops' iteration runs on the way); its child would be depth + 1.
  const levels = depth + 1;
  if (levels > maxDepth) throw overLimit('maxSubWorkflowDepth', d.limits, levels, `node "${base.nodeId}" would nest runs ${levels} levels deep (a sub-workflow calling itself?)`);
  if (version === null) {
    throw new ControlError('workflow_not_found', `workflow ${config.workflowId}${config.version ? ` version ${config.version}` : ''} was not found or has no published version`);
  }
  let inputs: unknown = {};
  if (config.input !== undefined) {
    const ctx = d.context();
    if (!ctx) return;
    inputs = renderTemplate(config.input, ctx, budget);
  }
  const inputsJson = serializeWithin(inputs ?? {}, d.limits.evaluation, `the inputs of the sub-workflow of node "${base.nodeId}"`);
  const childRunId = d.env.newId();
  const [step] = addSteps(d, [{ ...base, status: 'waiting', input: { workflowId: version.workflowId, workflowVersionId: version.id, childRunId } }]);
  d.effects.push({ type: 'insert-child-run', childRunId, workflowId: version.workflowId, workflowVersionId: version.id, inputsJson, parentStepId: step!.id, createdEventId: d.env.newId() });
  d.jobs.push(jobFor.startRun(childRunId));
  d.log('child_run.started', { attempt: base.attempt, childRunId }, base.nodeId, step!.id);
}

function lookUpVersion(d: Decision, workflowId: string, version: number | null) {
  const found = d.reads.versions?.get(versionKey(workflowId, version));
  return found === undefined ? d.need({ read: 'version', workflowId, version }) : found;
}

/**
 * When a run with a parent ends, what waits for it settles: a sub_workflow step takes the child's
 * output or failure (a conditional statement, so a late or repeated notice changes nothing, e.g.
 * the parent was cancelled meanwhile). An iteration writes nothing of its parent's: its own end
 * (status, output) is what the parent counts, so the only thing it adds is the parent's wake-up,
 * a job in its own final write. The iteration's end thus needs no lock and no effect (it stays an
 * unlocked transition), and a child never waits for its loop step's row while holding its own,
 * which deadlocked with the parent cancelling its children (parent's loop step row, then the
 * children's rows).
 */
export function notifyParent(d: Decision, status: 'succeeded' | 'failed' | 'cancelled', output: unknown, error: unknown): void {
  const parentStepId = d.run.parent_step_id;
  if (!parentStepId) return;
  if (d.run.kind === 'iteration') {
    if (d.run.parent_run_id) d.jobs.push(jobFor.childSettled(d.run.parent_run_id, d.run.id, d.lastSeq));
    return;
  }
  const failure = { code: 'sub_workflow_failed', message: `child run ${d.run.id} ${status}: ${(error as { message?: string } | null)?.message ?? status}`, retryable: false, details: { runId: d.run.id } };
  d.effects.push({
    type: 'settle-parent-step',
    parentStepId,
    status: status === 'succeeded' ? 'succeeded' : 'failed',
    output: status === 'succeeded' ? (output ?? null) : null,
    error: status === 'succeeded' ? null : failure,
    childSeq: d.lastSeq,
  });
}
