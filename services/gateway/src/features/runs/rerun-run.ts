import { publishOutbox, runWithDefinition, startRetryRun } from '@weft/run-store';
import { TERMINAL_RUN_STATUSES, type RerunBody, type WorkflowDefinition } from '@weft/workflow-schema';
import { AppError, notFound } from '../../errors';
import type { Principal } from '../../auth/principal';
import type { Resources } from '../../resources';
import { assertRunQuota, runStarted } from '../usage/run-quota';
import { inputsRefusal } from './create-run';
import { replayPins } from './replay-pins';
import { storableJson } from './value-limits';

/**
 * Retries an ended run as a NEW run of the same version (trigger `retry`, triggerId the run
 * retried), with its inputs or edited ones (validated like any run's). In ONE statement
 * (`startRetryRun`): the run, its first event and its outbox row; the job is published after commit.
 * The retried run is left as it is (`POST /v1/runs/:id/retry` retries in place instead).
 * With `fromNodeId` it replays from that node: the outputs of the nodes before it are reused
 * (pinned, optionally edited: `stepOutputs`), it and everything after it run (replay-pins.ts).
 */
export async function rerunRun(res: Resources, caller: Principal, runId: string, body: RerunBody): Promise<{ runId: string }> {
  const orgId = caller.orgId;
  const run = await runWithDefinition(res.db.pool, orgId, runId);
  if (!run) throw notFound('run', runId);
  if (!TERMINAL_RUN_STATUSES.has(run.status)) throw new AppError('invalid_state', `run ${runId} is ${run.status}; only an ended run can be run again`);
  if (run.dataPurged && !body.inputs) throw new AppError('invalid_state', `run ${runId} has no inputs any more (removed by the org's retention): give \`inputs\` to run it again`);
  let inputsJson: string | null = null;
  if (body.inputs) {
    inputsJson = storableJson(res, body.inputs, 'body.inputs', 'the run inputs');
    const refusal = inputsRefusal({ id: run.versionId, workflow_id: run.workflowId, definition: run.definition as WorkflowDefinition }, body.inputs);
    if (refusal) throw refusal;
  }
  await assertRunQuota(res, orgId);
  const pinnedOutputsJson = await replayPins(res, orgId, { id: run.id, workflowId: run.workflowId, definition: run.definition }, body);
  const created = await startRetryRun(res.db.pool, { orgId, ofRunId: runId, inputsJson, pinnedOutputsJson });
  if (created.outcome === 'refused') throw new AppError('invalid_state', `run ${runId} cannot be run again (an iteration or sub-workflow run is retried through its parent)`);
  void publishOutbox(res.db.pool, res.queues, created.outbox.ids, created.outbox.jobs, res.logger, res.outboxDeletes);
  runStarted(res, orgId);
  return { runId: created.runId };
}
