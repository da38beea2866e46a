import { jobFor, type JobEnvelope } from '@weft/queue';
import {
  cancelChildRuns,
  cancelStepsOfNodes,
  clearRetryRequest,
  countFinishedItem,
  insertChildRun,
  insertErrorRun,
  insertIterations,
  recordCaughtFailure,
  reopenRun,
  settleLoopStep,
  settleParentStep,
  settleWaitingStep,
  startPendingIterations,
  type StoredRun,
} from '@weft/run-store';
import { kindHas } from '@weft/workflow-schema';
import type { PoolClient } from 'pg';
import type { Effect } from '../decide';

/** Applies a plan's effects in order, under the run lock; the jobs they cause (built from what the statements return) and the steps to abort. */
export async function applyEffects(q: PoolClient, run: StoredRun, effects: readonly Effect[]): Promise<{ jobs: JobEnvelope[]; abortStepIds: string[] }> {
  const jobs: JobEnvelope[] = [];
  const abortStepIds: string[] = [];
  const cancelChildren = async (stepIds: string[]) => {
    for (const id of await cancelChildRuns(q, stepIds)) jobs.push(jobFor.cancelRequested(id));
  };
  for (const e of effects) {
    switch (e.type) {
      case 'insert-child-run':
        await insertChildRun(q, { id: e.childRunId, orgId: run.org_id, workflowId: e.workflowId, workflowVersionId: e.workflowVersionId, inputsJson: e.inputsJson, parentRunId: run.id, parentStepId: e.parentStepId, createdEventId: e.createdEventId });
        break;
      case 'insert-iterations':
        await insertIterations(q, { orgId: run.org_id, workflowId: run.workflow_id, workflowVersionId: run.workflow_version_id, runId: run.id }, e);
        break;
      case 'start-iterations':
        for (const id of await startPendingIterations(q, e.stepId, e.concurrency)) jobs.push(jobFor.startRun(id));
        break;
      case 'settle-step':
        await (e.from === 'waiting' ? settleWaitingStep : settleLoopStep)(q, e);
        break;
      case 'cancel-steps': {
        const cancelled = await cancelStepsOfNodes(q, run.id, e.nodeIds);
        abortStepIds.push(...cancelled.map((s) => s.id));
        await cancelChildren(cancelled.filter((s) => kindHas(s.node_type, 'startsRuns')).map((s) => s.id));
        break;
      }
      case 'cancel-children':
        await cancelChildren(e.stepIds);
        break;
      case 'settle-parent-step': {
        const parentRunId = await settleParentStep(q, e.parentStepId, e);
        if (parentRunId) jobs.push(jobFor.childSettled(parentRunId, run.id, e.childSeq));
        break;
      }
      case 'count-item': {
        const parentRunId = await countFinishedItem(q, e.parentStepId, e.failed);
        if (parentRunId) jobs.push(jobFor.childSettled(parentRunId, run.id, e.childSeq));
        break;
      }
      case 'record-caught-failure':
        await recordCaughtFailure(q, { runId: run.id, nodeId: e.nodeId, attempt: e.attempt, error: e.error });
        break;
      case 'insert-error-run':
        await insertErrorRun(q, { id: e.errorRunId, orgId: run.org_id, workflowId: e.workflowId, workflowVersionId: e.workflowVersionId, inputsJson: e.inputsJson, errorOfRunId: run.id, createdEventId: e.createdEventId });
        break;
      case 'reopen':
        await reopenRun(q, run.id);
        break;
      case 'clear-retry-request':
        await clearRetryRequest(q, run.id);
        break;
    }
  }
  return { jobs, abortStepIds };
}
