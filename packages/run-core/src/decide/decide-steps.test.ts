import { retryDelayMs } from '@weft/engine';
import { describe, expect, it } from 'vitest';
import { MAX_ROUNDS, decide } from './decide';
import { DEFAULT_ORCHESTRATOR_LIMITS } from './limits';
import { NOW, RUN_ID, after, edge, effectsOf, eventTypes, fn, graphOf, newRun, settled, snapshot, stepOf, testEnv, transform, trigger, writeOf } from './test-support';

const pureChain = graphOf({
  nodes: [trigger, transform('a', '`1`'), transform('b', 'steps.a.output')],
  edges: [edge('t', 'a'), edge('a', 'b')],
  settings: { output: 'steps.b.output' },
});
const executorChain = graphOf({ nodes: [trigger, fn('f'), fn('g')], edges: [edge('t', 'f'), edge('f', 'g')] });
const retried = graphOf({ nodes: [trigger, fn('f', { retry: { maxAttempts: 3, initialDelayMs: 1000 } })], edges: [edge('t', 'f')] });

/** The executor chain started: its first function step queued. */
function startedExecutorChain() {
  const run = newRun();
  const plan = decide(snapshot(run), executorChain, testEnv());
  return { run: after(run, plan), f: stepOf(plan, 'f') };
}

describe('decide: a run starts', () => {
  it('finishes a chain of pure steps in one decision: every step inline and applied, the run succeeded with its output, no job', () => {
    const plan = decide(snapshot(newRun()), pureChain, testEnv());
    const w = writeOf(plan);
    expect(eventTypes(plan)).toEqual(['run.started', 'step.dispatched', 'step.succeeded', 'step.dispatched', 'step.succeeded', 'step.dispatched', 'step.succeeded', 'run.succeeded']);
    expect(w.status).toBe('succeeded');
    expect(w.completion).toEqual({ output: 1, error: null });
    expect(w.steps.map((s) => [s.nodeId, s.status, s.applied])).toEqual([['t', 'succeeded', true], ['a', 'succeeded', true], ['b', 'succeeded', true]]);
    expect(w.jobs).toEqual([]);
    expect(effectsOf(plan)).toEqual([]);
    expect(w.events.map((e) => e.seq)).toEqual([2, 3, 4, 5, 6, 7, 8, 9]);
    expect(w.lastSeq).toBe(9);
  });

  it('queues an executor step as a queued row with its execute-step job, and leaves the run running', () => {
    const plan = decide(snapshot(newRun()), executorChain, testEnv());
    const f = stepOf(plan, 'f');
    expect(f).toMatchObject({ status: 'queued', applied: false, attempt: 1, startedAt: null });
    expect(writeOf(plan).jobs).toEqual([{ name: 'execute-step', jobId: `step.${f.id}.0`, payload: { stepId: f.id, runId: RUN_ID } }]);
    expect(writeOf(plan).status).toBe('running');
    expect(eventTypes(plan)).toEqual(['run.started', 'step.dispatched', 'step.succeeded', 'step.dispatched']);
  });

  it('sends pure steps through the executor too when inline steps are off', () => {
    const plan = decide(snapshot(newRun()), pureChain, testEnv({ inlinePureSteps: false }));
    expect(writeOf(plan).steps.map((s) => [s.nodeId, s.status])).toEqual([['t', 'queued']]);
    expect(writeOf(plan).jobs.map((j) => j.name)).toEqual(['execute-step']);
  });

  it('sets the run deadline on its start when the workflow has settings.timeoutMs', () => {
    const graph = graphOf({ nodes: [trigger, fn('f')], edges: [edge('t', 'f')], settings: { timeoutMs: 5000 } });
    expect(writeOf(decide(snapshot(newRun()), graph, testEnv())).timeoutMs).toBe(5000);
  });
});

describe('decide: a step settled', () => {
  it('dispatches the next step when an executor step succeeded, and asks for nothing it does not need', () => {
    const { run, f } = startedExecutorChain();
    const plan = decide(snapshot(run, [settled(f)]), executorChain, testEnv());
    expect(eventTypes(plan)).toEqual(['step.succeeded', 'step.dispatched']);
    expect(stepOf(plan, 'g')).toMatchObject({ status: 'queued', attempt: 1 });
    expect(writeOf(plan).jobs.map((j) => j.name)).toEqual(['execute-step']);
  });

  it('asks for the outputs when a pure step comes next, and evaluates it once they are loaded', () => {
    const graph = graphOf({ nodes: [trigger, fn('f'), transform('x', 'steps.f.output.n')], edges: [edge('t', 'f'), edge('f', 'x')], settings: { output: 'steps.x.output' } });
    const start = decide(snapshot(newRun()), graph, testEnv());
    const run = after(newRun(), start);
    const f = settled(stepOf(start, 'f'));
    expect(decide(snapshot(structuredClone(run), [f]), graph, testEnv())).toEqual({ kind: 'needs', reads: [{ read: 'outputs' }] });
    const plan = decide(snapshot(structuredClone(run), [f], { outputs: { t: {}, f: { n: 7 } } }), graph, testEnv());
    expect(writeOf(plan).completion).toEqual({ output: 7, error: null });
  });

  it('retries a failed step with the random number it recorded, delayed by the policy', () => {
    const start = decide(snapshot(newRun()), retried, testEnv());
    const run = after(newRun(), start);
    const error = { code: 'http_503', message: 'unavailable', retryable: true };
    const plan = decide(snapshot(run, [settled(stepOf(start, 'f'), { status: 'failed', error })]), retried, testEnv({ random: () => 0.75 }));
    const failed = writeOf(plan).events.find((e) => e.type === 'step.failed')!;
    expect(failed.data).toMatchObject({ attempt: 1, error, random: 0.75 });
    const delay = retryDelayMs({ maxAttempts: 3, backoff: 'exponential', initialDelayMs: 1000, maxDelayMs: 60_000 }, 2, 0.75, error);
    const retry = stepOf(plan, 'f');
    expect(retry).toMatchObject({ attempt: 2, status: 'queued' });
    expect(retry.availableAt.getTime()).toBe(NOW + delay);
    expect(writeOf(plan).jobs).toEqual([expect.objectContaining({ name: 'execute-step', delayMs: delay })]);
  });

  it('fails the run when a step fails for good, with the node named in the error', () => {
    const { run, f } = startedExecutorChain();
    const plan = decide(snapshot(run, [settled(f, { status: 'failed', error: { code: 'bad_input', message: 'no', retryable: false } })]), executorChain, testEnv());
    expect(eventTypes(plan)).toEqual(['step.failed', 'run.failed']);
    expect(writeOf(plan).status).toBe('failed');
    expect(writeOf(plan).completion).toEqual({ output: null, error: { code: 'bad_input', message: 'node "f" failed: no', nodeId: 'f' } });
  });

  it('changes nothing for a duplicate or stale settled step (an attempt the engine is past)', () => {
    const { run, f } = startedExecutorChain();
    const once = decide(snapshot(structuredClone(run), [settled(f)]), executorChain, testEnv());
    const moved = after(run, once);
    expect(decide(snapshot(moved, [settled(f)]), executorChain, testEnv())).toEqual({ kind: 'nothing' });
    expect(decide(snapshot(moved, [{ ...settled(f), attempt: 7 }]), executorChain, testEnv())).toEqual({ kind: 'nothing' });
  });

  it('changes nothing for late results of a finished run', () => {
    const { run, f } = startedExecutorChain();
    const failed = after(run, decide(snapshot(structuredClone(run), [settled(f, { status: 'failed', error: { code: 'x', message: 'x', retryable: false } })]), executorChain, testEnv()));
    expect(failed.state!.status).toBe('failed');
    expect(decide(snapshot(failed, [settled(f)]), executorChain, testEnv())).toEqual({ kind: 'nothing' });
  });
});

describe('decide: rounds and budgets', () => {
  it('stops after the round limit and releases the inline results not applied yet, with a step-settled job to pick them up', () => {
    const ids = Array.from({ length: MAX_ROUNDS + 5 }, (_, i) => `n${i}`);
    const graph = graphOf({
      nodes: [trigger, ...ids.map((id) => transform(id, '`1`'))],
      edges: [edge('t', ids[0]!), ...ids.slice(1).map((id, i) => edge(ids[i]!, id))],
    });
    const plan = decide(snapshot(newRun()), graph, testEnv());
    const w = writeOf(plan);
    expect(w.status).toBe('running');
    const unapplied = w.steps.filter((s) => !s.applied);
    expect(unapplied).toHaveLength(1);
    expect(unapplied[0]).toMatchObject({ status: 'succeeded' });
    expect(w.jobs).toEqual([{ name: 'step-settled', jobId: `settled.${unapplied[0]!.id}.succeeded`, payload: { runId: RUN_ID, stepId: unapplied[0]!.id } }]);
  });

  it('fails a node whose output is past the value limit with budget_exceeded, and the run with it', () => {
    const graph = graphOf({ nodes: [trigger, transform('big', "join('', ['aaaaaaaaaa', 'aaaaaaaaaa', 'aaaaaaaaaa'])")], edges: [edge('t', 'big')] });
    const limits = { ...DEFAULT_ORCHESTRATOR_LIMITS, evaluation: { ...DEFAULT_ORCHESTRATOR_LIMITS.evaluation, maxValueBytes: 16 } };
    const plan = decide(snapshot(newRun()), graph, testEnv({ limits }));
    expect(stepOf(plan, 'big')).toMatchObject({ status: 'failed', applied: true });
    expect(JSON.parse(stepOf(plan, 'big').error!)).toMatchObject({ code: 'budget_exceeded', retryable: false });
    expect(writeOf(plan).completion?.error).toMatchObject({ code: 'budget_exceeded', nodeId: 'big' });
  });

  it('ends the run at a terminate node with its rendered message, cancelling what still runs', () => {
    const graph = graphOf({
      nodes: [trigger, fn('slow'), { id: 'stop', type: 'terminate', config: { status: 'failed', message: 'stopped for {{ input.who }}' } }],
      edges: [edge('t', 'slow'), edge('t', 'stop')],
    });
    const plan = decide(snapshot(newRun({ inputs: { who: 'ana' } })), graph, testEnv());
    expect(eventTypes(plan)).toContain('run.terminated');
    expect(stepOf(plan, 'stop')).toMatchObject({ status: 'succeeded', output: JSON.stringify({ status: 'failed', message: 'stopped for ana' }) });
    expect(stepOf(plan, 'slow')).toMatchObject({ status: 'cancelled', applied: true });
    expect(writeOf(plan).completion?.error).toMatchObject({ code: 'terminated', message: 'stopped for ana' });
  });

  it('completes with settings.output once the outputs are read (needs outputs → reads → completes)', () => {
    const graph = graphOf({ nodes: [trigger, fn('f')], edges: [edge('t', 'f')], settings: { output: '{ total: steps.f.output.total }' } });
    const start = decide(snapshot(newRun()), graph, testEnv());
    const run = after(newRun(), start);
    const f = settled(stepOf(start, 'f'));
    const needs = decide(snapshot(structuredClone(run), [f]), graph, testEnv());
    expect(needs).toEqual({ kind: 'needs', reads: [{ read: 'outputs' }] });
    const plan = decide(snapshot(run, [f], { outputs: { t: {}, f: { total: 3 } } }), graph, testEnv());
    expect(writeOf(plan).completion).toEqual({ output: { total: 3 }, error: null });
    expect(eventTypes(plan)).toEqual(['step.succeeded', 'run.succeeded']);
  });
});

describe('decide: run control', () => {
  it('cancels the active steps of a run whose cancel was requested: a cancel-steps effect, the run cancelled', () => {
    const { run } = startedExecutorChain();
    const plan = decide(snapshot({ ...run, cancel_requested_at: new Date(NOW - 1000) }), executorChain, testEnv());
    expect(effectsOf(plan)).toEqual([{ type: 'cancel-steps', nodeIds: ['f'] }]);
    expect(eventTypes(plan)).toEqual(['run.cancel_requested', 'steps.cancelled', 'run.cancelled']);
    expect(writeOf(plan).status).toBe('cancelled');
  });

  it('runs a failed run again on a retry request: reopened (an effect), the failed step dispatched at its next attempt', () => {
    const { run, f } = startedExecutorChain();
    const failedRun = after(run, decide(snapshot(structuredClone(run), [settled(f, { status: 'failed', error: { code: 'x', message: 'x', retryable: false } })]), executorChain, testEnv()));
    const plan = decide(snapshot({ ...failedRun, retry_request: {} }), executorChain, testEnv());
    expect(effectsOf(plan)).toEqual([{ type: 'reopen' }]);
    expect(eventTypes(plan)).toEqual(['run.retry_requested', 'step.dispatched', 'run.reopened']);
    expect(stepOf(plan, 'f')).toMatchObject({ attempt: 2, status: 'queued' });
  });

  it('drops a retry request that changes nothing (the run did not fail)', () => {
    const { run } = startedExecutorChain();
    expect(decide(snapshot({ ...run, retry_request: {} }), executorChain, testEnv())).toEqual({ kind: 'write', write: undefined, effects: [{ type: 'clear-retry-request' }] });
  });

  it('fails a run whose deadline passed and cancels its steps', () => {
    const { run } = startedExecutorChain();
    const plan = decide(snapshot({ ...run, deadline_at: new Date(NOW) }), executorChain, testEnv());
    expect(eventTypes(plan)).toEqual(['run.timed_out', 'steps.cancelled', 'run.failed']);
    expect(writeOf(plan).completion?.error).toMatchObject({ code: 'run_timeout' });
    expect(effectsOf(plan)).toEqual([{ type: 'cancel-steps', nodeIds: ['f'] }]);
  });
});
