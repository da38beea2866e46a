import { describe, expect, it } from 'vitest';
import { jobFor } from '@weft/queue';
import { decide } from './decide';
import { NOW, RUN_ID, after, edge, effectsOf, eventTypes, fn, graphOf, newRun, settled, snapshot, stepOf, testEnv, transform, trigger, writeOf } from './test-support';
import { versionKey } from './types';

const delayed = graphOf({ nodes: [trigger, { id: 'wait', type: 'delay', config: { durationMs: 60_000 } }, fn('after')], edges: [edge('t', 'wait'), edge('wait', 'after')] });

const approval = (timeoutMs?: number, rejectedPath = true) =>
  graphOf({
    nodes: [trigger, { id: 'ok', type: 'wait_for_approval', config: { prompt: 'ship {{ input.what }}?', ...(timeoutMs ? { timeoutMs } : {}) } }, fn('ship'), ...(rejectedPath ? [fn('tell')] : [])],
    edges: [edge('t', 'ok'), edge('ok', 'ship', 'approved'), ...(rejectedPath ? [edge('ok', 'tell', 'rejected')] : [])],
  });

/** A run started on `graph` and what its start wrote. */
function started(graph: ReturnType<typeof graphOf>, inputs: unknown = {}) {
  const run = newRun({ inputs });
  const plan = decide(snapshot(run), graph, testEnv());
  return { run: after(run, plan), plan };
}

describe('decide: timers', () => {
  it('parks a delay as a waiting step with a timer job due at its end', () => {
    const { plan } = started(delayed);
    const wait = stepOf(plan, 'wait');
    expect(wait).toMatchObject({ status: 'waiting', availableAt: new Date(NOW + 60_000) });
    expect(writeOf(plan).jobs).toEqual([{ name: 'timer-fired', jobId: `timer.${wait.id}`, payload: { runId: RUN_ID, stepId: wait.id }, delayMs: 60_000 }]);
    expect(writeOf(plan).status).toBe('waiting');
  });

  it('asks for the due timers of a run with a waiting delay, then fires the due one in the same decision: an applied settle effect, no write-then-reread', () => {
    const { run, plan: start } = started(delayed);
    const wait = stepOf(start, 'wait');
    expect(decide(snapshot(structuredClone(run)), delayed, testEnv())).toEqual({ kind: 'needs', reads: [{ read: 'dueTimers' }] });
    const plan = decide(snapshot(run, [], { dueTimers: [{ stepId: wait.id, nodeId: 'wait', nodeType: 'delay', attempt: 1 }] }), delayed, testEnv());
    expect(effectsOf(plan)).toEqual([{ type: 'settle-step', from: 'waiting', stepId: wait.id, status: 'succeeded', output: { resumedAt: new Date(NOW).toISOString() }, error: null, handle: null }]);
    expect(eventTypes(plan)).toEqual(['timer.fired', 'step.succeeded', 'step.dispatched']);
    expect(stepOf(plan, 'after')).toMatchObject({ status: 'queued' });
  });

  it('does nothing for a run whose timer is not due yet', () => {
    const { run } = started(delayed);
    expect(decide(snapshot(run, [], { dueTimers: [] }), delayed, testEnv())).toEqual({ kind: 'nothing' });
  });
});

describe('decide: approvals', () => {
  it('asks for approval with its rendered prompt and no timer when it has no timeout', () => {
    const { plan } = started(approval(), { what: 'v2' });
    expect(stepOf(plan, 'ok')).toMatchObject({ status: 'waiting', input: JSON.stringify({ prompt: 'ship v2?', timeoutMs: null }) });
    expect(eventTypes(plan)).toContain('approval.requested');
    expect(writeOf(plan).jobs).toEqual([]);
  });

  for (const decision of ['approved', 'rejected'] as const) {
    it(`takes the ${decision} path when somebody ${decision} it, recording the decision`, () => {
      const { run, plan: start } = started(approval());
      const plan = decide(snapshot(run, [settled(stepOf(start, 'ok'), { handle: decision })], { dueTimers: [] }), approval(), testEnv());
      expect(eventTypes(plan)).toEqual(['approval.resolved', 'step.succeeded', 'step.dispatched', 'step.skipped']);
      expect(writeOf(plan).events[0]!.data).toEqual({ decision });
      expect(stepOf(plan, decision === 'approved' ? 'ship' : 'tell')).toMatchObject({ status: 'queued' });
    });
  }

  it('takes the rejected path when it timed out and has one', () => {
    const graph = approval(5000);
    const { run, plan: start } = started(graph);
    const ok = stepOf(start, 'ok');
    const plan = decide(snapshot(run, [], { dueTimers: [{ stepId: ok.id, nodeId: 'ok', nodeType: 'wait_for_approval', attempt: 1 }] }), graph, testEnv());
    expect(effectsOf(plan)).toEqual([{ type: 'settle-step', from: 'waiting', stepId: ok.id, status: 'succeeded', output: { timedOut: true }, error: null, handle: 'rejected' }]);
    expect(eventTypes(plan)).toEqual(['approval.timed_out', 'approval.resolved', 'step.succeeded', 'step.dispatched', 'step.skipped']);
    expect(stepOf(plan, 'tell')).toMatchObject({ status: 'queued' });
  });

  it('fails the node (and the run) when it timed out without a rejected path', () => {
    const graph = approval(5000, false);
    const { run, plan: start } = started(graph);
    const ok = stepOf(start, 'ok');
    const plan = decide(snapshot(run, [], { dueTimers: [{ stepId: ok.id, nodeId: 'ok', nodeType: 'wait_for_approval', attempt: 1 }] }), graph, testEnv());
    expect(effectsOf(plan)).toEqual([expect.objectContaining({ type: 'settle-step', status: 'failed', error: expect.objectContaining({ code: 'approval_timeout' }) })]);
    expect(writeOf(plan).completion?.error).toMatchObject({ code: 'approval_timeout', nodeId: 'ok' });
  });
});

describe('decide: sub-workflows', () => {
  const childWorkflow = '00000000-0000-4000-8000-0000000000f1';
  const graph = graphOf({
    nodes: [trigger, { id: 'child', type: 'sub_workflow', config: { workflowId: childWorkflow, input: { n: '{{ input.n }}' } } }, transform('after', 'steps.child.output')],
    edges: [edge('t', 'child'), edge('child', 'after')],
  });

  it('needs the version lookup and the run depth, then starts the child run (an effect) with its start job', () => {
    const run = newRun({ inputs: { n: 4 } });
    expect(decide(snapshot(structuredClone(run)), graph, testEnv())).toEqual({ kind: 'needs', reads: [{ read: 'runDepth' }, { read: 'version', workflowId: childWorkflow, version: null }] });
    const versions = new Map([[versionKey(childWorkflow, null), { id: 'v-1', workflowId: childWorkflow }]]);
    const plan = decide(snapshot(run, [], { runDepth: 1, versions }), graph, testEnv());
    const step = stepOf(plan, 'child');
    const [effect] = effectsOf(plan);
    expect(effect).toMatchObject({ type: 'insert-child-run', workflowId: childWorkflow, workflowVersionId: 'v-1', inputsJson: JSON.stringify({ n: 4 }), parentStepId: step.id });
    const childRunId = (effect as { childRunId: string }).childRunId;
    expect(JSON.parse(step.input!)).toEqual({ workflowId: childWorkflow, workflowVersionId: 'v-1', childRunId });
    expect(writeOf(plan).jobs).toEqual([{ name: 'start-run', jobId: `run.${childRunId}.start`, payload: { runId: childRunId } }]);
    expect(eventTypes(plan)).toContain('child_run.started');
  });

  it('fails the node when the workflow has no published version', () => {
    const plan = decide(snapshot(newRun()), graph, testEnv({}));
    expect(plan.kind).toBe('needs');
    const missing = decide(snapshot(newRun(), [], { runDepth: 1, versions: new Map([[versionKey(childWorkflow, null), null]]) }), graph, testEnv());
    expect(stepOf(missing, 'child')).toMatchObject({ status: 'failed', applied: true });
    expect(writeOf(missing).completion?.error).toMatchObject({ code: 'workflow_not_found', nodeId: 'child' });
    expect(effectsOf(missing)).toEqual([]);
  });

  it('fails the node past the sub-workflow depth limit', () => {
    const plan = decide(snapshot(newRun(), [], { runDepth: 10, versions: new Map([[versionKey(childWorkflow, null), { id: 'v', workflowId: childWorkflow }]]) }), graph, testEnv());
    expect(writeOf(plan).completion?.error).toMatchObject({ code: 'budget_exceeded', nodeId: 'child' });
  });

  it('moves on with the child output when the child settled its step', () => {
    const versions = new Map([[versionKey(childWorkflow, null), { id: 'v-1', workflowId: childWorkflow }]]);
    const start = decide(snapshot(newRun()), graph, testEnv());
    expect(start.kind).toBe('needs');
    const first = decide(snapshot(newRun(), [], { runDepth: 1, versions }), graph, testEnv());
    const run = after(newRun(), first);
    const plan = decide(snapshot(run, [settled(stepOf(first, 'child'))], { outputs: { t: {}, child: { done: true } } }), graph, testEnv());
    expect(writeOf(plan).completion).toEqual({ output: { after: { done: true } }, error: null });
  });

  it("settles its parent's step when a child run ends (an effect the parent's child-settled job follows)", () => {
    const plan = decide(snapshot(newRun({ parent_step_id: 'parent-step' })), graphOf({ nodes: [trigger, transform('x', '`5`')], edges: [edge('t', 'x')], settings: { output: 'steps.x.output' } }), testEnv());
    expect(effectsOf(plan)).toEqual([{ type: 'settle-parent-step', parentStepId: 'parent-step', status: 'succeeded', output: 5, error: null, childSeq: writeOf(plan).lastSeq }]);
  });

  it("wakes its parent when an iteration run ends, failed or not, with a job in its own write and no effect (nothing of the parent's is written)", () => {
    const failing = graphOf({ nodes: [trigger, transform('x', 'to_number(`"x"`) + `1`')], edges: [edge('t', 'x')] });
    const iteration = newRun({ parent_step_id: 'loop-step', parent_run_id: 'parent-run', kind: 'iteration', inputs: { item: 1, index: 0 } });
    const plan = decide(snapshot(iteration), failing, testEnv());
    expect(effectsOf(plan)).toEqual([]);
    expect(writeOf(plan).status).toBe('failed');
    expect(writeOf(plan).jobs).toEqual([jobFor.childSettled('parent-run', iteration.id, writeOf(plan).lastSeq)]);
  });
});
