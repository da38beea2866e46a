import { jobFor } from '@weft/queue';
import { errorRunTarget, insertErrorRun } from '@weft/run-store';
import type { ErrorRunInputs } from '@weft/workflow-schema';
import type { Transition } from './transition-context';

/**
 * A run failed (not cancelled): start a run of its workflow's `settings.errorWorkflowId` (latest
 * published version, same org) with the failed run's summary as inputs. Its row, its `run.created`
 * event and its start job (an outbox row) are written by the failing run's transition, so they
 * commit with the failure or not at all. An error workflow that is gone (deleted, or without a
 * published version) is recorded on the failed run as an event; the transition goes on.
 */
export async function startErrorWorkflow(t: Transition, error: unknown): Promise<void> {
  const errorWorkflowId = t.graph.settings.errorWorkflowId;
  if (!errorWorkflowId || t.run.kind !== 'run') return;
  const target = await errorRunTarget(t.c, { runId: t.run.id, orgId: t.run.org_id, errorWorkflowId, maxDepth: t.limits.maxSubWorkflowDepth + 1 });
  if (!target || target.in_error_run) {
    t.log.push('error_workflow.skipped', { errorWorkflowId, reason: 'this run is an error run (or runs inside one): its failure starts no other' });
    return;
  }
  if (!target.version_id) {
    t.log.push('error_workflow.not_found', { errorWorkflowId, message: `error workflow ${errorWorkflowId} was not found in this org or has no published version: no error run was started` });
    return;
  }
  const runError = (error ?? { code: 'failed', message: 'the run failed' }) as ErrorRunInputs['error'];
  const inputs: ErrorRunInputs = {
    runId: t.run.id,
    workflowId: t.run.workflow_id,
    workflowVersionId: t.run.workflow_version_id,
    error: runError,
    ...(typeof runError.nodeId === 'string' ? { failedNodeId: runError.nodeId } : {}),
    startedAt: target.started_at?.toISOString() ?? null,
    finishedAt: target.now.toISOString(),
  };
  const errorRunId = await insertErrorRun(t.c, { orgId: t.run.org_id, workflowId: errorWorkflowId, versionId: target.version_id, inputs, errorOfRunId: t.run.id });
  t.jobs.push(jobFor.startRun(errorRunId));
  t.log.push('error_workflow.started', { errorWorkflowId, errorRunId });
}
