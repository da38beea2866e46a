import { jobFor, type JobEnvelope } from '@weft/queue';
import {
  cancelChildRuns,
  cancelNodesOfRun,
  clearRetryRequest,
  insertChildRun,
  insertErrorRun,
  insertIterations,
  recordCaughtFailure,
  reopenRun,
  settleLoopStep,
  settleParentStep,
  settleWaitingStep,
  type StoredRun,
} from '@weft/run-store';
import type { PoolClient } from 'pg';
import type { Effect } from '../decide';
import type { OrchestratorResources, RunEvents } from './resources';
import { startIterations } from './start-iterations';

/** What a plan's effects did: jobs to write with the final write, jobs already written (with their outbox rows), steps to abort, other runs' events. */
export interface Applied {
  jobs: JobEnvelope[];
  written: { outboxIds: string[]; jobs: JobEnvelope[] };
  abortStepIds: string[];
  otherRuns: RunEvents[];
  /** Iterations started, per loop step (the run moves although its state may not). */
  startedIterations: Map<string, number>;
}

/** Applies a plan's effects in order, under the run lock; the jobs they cause (built from what the statements return) and the steps to abort. */
export async function applyEffects(res: OrchestratorResources, q: PoolClient, run: StoredRun, effects: readonly Effect[]): Promise<Applied> {
  const jobs: JobEnvelope[] = [];
  const abortStepIds: string[] = [];
  const applied: Applied = { jobs, written: { outboxIds: [], jobs: [] }, abortStepIds, otherRuns: [], startedIterations: new Map() };
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
      case 'start-iterations': {
        const started = await startIterations(res, q, e.stepId, e.concurrency);
        jobs.push(...started.jobs);
        applied.written.outboxIds.push(...started.written.outboxIds);
        applied.written.jobs.push(...started.written.jobs);
        applied.otherRuns.push(...started.events);
        if (started.count > 0) applied.startedIterations.set(e.stepId, (applied.startedIterations.get(e.stepId) ?? 0) + started.count);
        break;
      }
      case 'settle-step':
        await (e.from === 'waiting' ? settleWaitingStep : settleLoopStep)(q, e);
        break;
      case 'cancel-steps': {
        const cancelled = await cancelNodesOfRun(q, run.id, e.nodeIds);
        abortStepIds.push(...cancelled.steps.map((s) => s.id));
        for (const id of cancelled.cancelRequested) jobs.push(jobFor.cancelRequested(id));
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
  return applied;
}
