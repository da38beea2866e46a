import type { Command } from '@weft/engine';
import { jobFor } from '@weft/queue';
import type { ErrorRunInputs } from '@weft/workflow-schema';
import type { Decision } from './decision';

/**
 * The engine caught step failures (an `error` edge or continueOnFail): each error becomes its
 * node's output, in the step row (what the executor and later transitions read: a row of this
 * decision directly, a row in the table by an effect) and in the outputs this decision knows,
 * before the steps downstream are dispatched.
 */
export function recordCaughtFailures(d: Decision, commands: readonly Command[], stepId: string | null): void {
  for (const cmd of commands) {
    if (cmd.type !== 'failure_caught') continue;
    const row = d.steps.find((s) => s.nodeId === cmd.nodeId && s.attempt === cmd.attempt && s.status === 'failed');
    if (row) row.output = JSON.stringify(cmd.error);
    else d.effects.push({ type: 'record-caught-failure', nodeId: cmd.nodeId, attempt: cmd.attempt, error: cmd.error });
    d.addOutputs([{ nodeId: cmd.nodeId, output: cmd.error }]);
    d.log('step.caught', { attempt: cmd.attempt, route: cmd.route, code: cmd.error.code }, cmd.nodeId, row?.id ?? stepId);
  }
}

/**
 * A run failed (not cancelled): start a run of its workflow's `settings.errorWorkflowId` (latest
 * published version, same org) with the failed run's summary as inputs. Its row and `run.created`
 * event are an effect and its start job is in the final write, so they commit with the failure or
 * not at all. An error workflow that is gone is recorded on the failed run as an event; an error
 * run (or a run below one) starts none. Needs the error target read.
 */
export function startErrorWorkflow(d: Decision, error: unknown): void {
  const errorWorkflowId = d.graph.settings.errorWorkflowId;
  if (!errorWorkflowId || d.run.kind !== 'run') return;
  const target = d.reads.errorTarget;
  if (!target) return d.need({ read: 'errorTarget', errorWorkflowId });
  if (target.inErrorRun) {
    d.log('error_workflow.skipped', { errorWorkflowId, reason: 'this run is an error run (or runs inside one): its failure starts no other' });
    return;
  }
  if (!target.versionId) {
    d.log('error_workflow.not_found', { errorWorkflowId, message: `error workflow ${errorWorkflowId} was not found in this org or has no published version: no error run was started` });
    return;
  }
  const runError = (error ?? { code: 'failed', message: 'the run failed' }) as ErrorRunInputs['error'];
  const inputs: ErrorRunInputs = {
    runId: d.run.id,
    workflowId: d.run.workflow_id,
    workflowVersionId: d.run.workflow_version_id,
    error: runError,
    ...(typeof runError.nodeId === 'string' ? { failedNodeId: runError.nodeId } : {}),
    startedAt: target.startedAt,
    finishedAt: new Date(d.env.now).toISOString(),
  };
  const errorRunId = d.env.newId();
  d.effects.push({ type: 'insert-error-run', errorRunId, workflowId: errorWorkflowId, workflowVersionId: target.versionId, inputsJson: JSON.stringify(inputs), createdEventId: d.env.newId() });
  d.jobs.push(jobFor.startRun(errorRunId));
  d.log('error_workflow.started', { errorWorkflowId, errorRunId });
}
