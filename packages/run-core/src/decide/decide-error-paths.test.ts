import { describe, expect, it } from 'vitest';
import { decide } from './decide';
import { NOW, RUN_ID, after, edge, effectsOf, eventTypes, fn, graphOf, newRun, settled, snapshot, stepOf, testEnv, trigger, writeOf } from './test-support';

const boom = { code: 'http_500', message: 'server error', retryable: false };

describe('decide: error paths', () => {
  it('takes the error edge of a step that failed for good: the error becomes its row\'s output (an effect) and the next node runs', () => {
    const graph = graphOf({ nodes: [trigger, fn('call'), fn('alert')], edges: [edge('t', 'call'), edge('call', 'alert', 'error')] });
    const start = decide(snapshot(newRun()), graph, testEnv());
    const call = stepOf(start, 'call');
    const plan = decide(snapshot(after(newRun(), start), [settled(call, { status: 'failed', error: boom })]), graph, testEnv());
    expect(effectsOf(plan)).toEqual([{ type: 'record-caught-failure', nodeId: 'call', attempt: 1, error: boom }]);
    expect(eventTypes(plan)).toEqual(['step.failed', 'step.caught', 'step.dispatched']);
    expect(writeOf(plan).events[1]).toMatchObject({ stepId: call.id, data: { attempt: 1, route: 'error', code: 'http_500' } });
    expect(stepOf(plan, 'alert')).toMatchObject({ status: 'queued' });
  });

  it('starts the error workflow of a run that failed once its target is read: an insert-error-run effect and its start job', () => {
    const errorWorkflowId = '00000000-0000-4000-8000-0000000000e1';
    const graph = graphOf({ nodes: [trigger, fn('call')], edges: [edge('t', 'call')], settings: { errorWorkflowId } });
    const start = decide(snapshot(newRun()), graph, testEnv());
    const run = after(newRun(), start);
    const failed = [settled(stepOf(start, 'call'), { status: 'failed', error: boom })];
    expect(decide(snapshot(structuredClone(run), failed), graph, testEnv())).toEqual({ kind: 'needs', reads: [{ read: 'errorTarget', errorWorkflowId }] });
    const plan = decide(snapshot(run, failed, { errorTarget: { inErrorRun: false, versionId: 'v-err', startedAt: null } }), graph, testEnv());
    const [effect] = effectsOf(plan) as [{ type: string; errorRunId: string; inputsJson: string }];
    expect(effect).toMatchObject({ type: 'insert-error-run', workflowId: errorWorkflowId, workflowVersionId: 'v-err' });
    expect(JSON.parse(effect.inputsJson)).toMatchObject({ runId: RUN_ID, failedNodeId: 'call', finishedAt: new Date(NOW).toISOString(), error: { code: 'http_500' } });
    expect(writeOf(plan).jobs).toEqual([{ name: 'start-run', jobId: `run.${effect.errorRunId}.start`, payload: { runId: effect.errorRunId } }]);
    expect(eventTypes(plan)).toEqual(['step.failed', 'run.failed', 'error_workflow.started']);
  });

  it('starts no error run for a run that is an error run itself', () => {
    const graph = graphOf({ nodes: [trigger, fn('call')], edges: [edge('t', 'call')], settings: { errorWorkflowId: '00000000-0000-4000-8000-0000000000e1' } });
    const start = decide(snapshot(newRun()), graph, testEnv());
    const plan = decide(snapshot(after(newRun(), start), [settled(stepOf(start, 'call'), { status: 'failed', error: boom })], { errorTarget: { inErrorRun: true, versionId: 'v', startedAt: null } }), graph, testEnv());
    expect(effectsOf(plan)).toEqual([]);
    expect(eventTypes(plan)).toEqual(['step.failed', 'run.failed', 'error_workflow.skipped']);
  });
});
