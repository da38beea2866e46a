import type { StepError } from '@weft/workflow-schema';
import { describe, expect, it } from 'vitest';
import { advance, replay } from './advance';
import { compile } from './compile';
import { buildContext, runOutput } from './context';
import { failureRoute } from './failure';
import { runPureGraph } from './pure';
import type { Command, EngineEvent, RunState } from './state';
import { testDefinition, testGraph } from './test-graph';

const definition = testDefinition;
const graph = testGraph;

function run(g: ReturnType<typeof graph>, events: EngineEvent[], from: RunState | null = null) {
  let state = from;
  const commands: Command[] = [];
  for (const e of events) {
    const t = advance(g, state, e);
    state = t.state;
    commands.push(...t.commands);
  }
  return { state: state!, commands };
}

const started: EngineEvent = { type: 'run.started' };
const ok = (nodeId: string, attempt = 1): EngineEvent => ({ type: 'step.succeeded', nodeId, attempt });
const boom: StepError = { code: 'http_error', message: 'the server answered 500', retryable: true, details: { status: 500 } };
const failed = (nodeId: string, attempt = 1, error: StepError = boom): EngineEvent => ({ type: 'step.failed', nodeId, attempt, error, random: 0.5 });
const dispatch = (nodeId: string, attempt = 1, delayMs = 0): Command => ({ type: 'dispatch', nodeId, attempt, delayMs });
const caught = (nodeId: string, route: 'error' | 'continue', attempt = 1): Command => ({ type: 'failure_caught', nodeId, attempt, route, error: boom });
const statuses = (state: RunState) => Object.fromEntries(Object.entries(state.nodes).map(([id, n]) => [id, n.caught ? `failed (caught: ${n.caught})` : n.status]));

describe('a failure with an error edge', () => {
  const g = graph({ fetch: { type: 'http_request', config: { url: 'http://x' } }, use: {}, report: {} }, [['t', 'fetch'], ['fetch', 'use'], ['fetch', 'report', 'error']]);

  it('takes the error edge, skips the other edges, and the run succeeds', () => {
    const { state, commands } = run(g, [started, ok('t'), failed('fetch'), ok('report')]);
    expect(commands).toEqual([dispatch('t'), dispatch('fetch'), caught('fetch', 'error'), { type: 'skip', nodeId: 'use' }, dispatch('report'), { type: 'complete', status: 'succeeded' }]);
    expect(statuses(state)).toEqual({ t: 'succeeded', fetch: 'failed (caught: error)', use: 'skipped', report: 'succeeded' });
    expect(state.status).toBe('succeeded');
    expect(state.error).toBeUndefined();
  });

  it('records the caught failure before dispatching what it unlocks, so that the error is already the node output', () => {
    const { commands } = run(g, [started, ok('t'), failed('fetch')]);
    const at = (type: Command['type'], nodeId: string) => commands.findIndex((c) => c.type === type && 'nodeId' in c && c.nodeId === nodeId);
    expect(at('failure_caught', 'fetch')).toBeLessThan(at('dispatch', 'report'));
  });

  it('is not taken when the step succeeds', () => {
    const { state } = run(g, [started, ok('t'), ok('fetch'), ok('use')]);
    expect(statuses(state)).toEqual({ t: 'succeeded', fetch: 'succeeded', use: 'succeeded', report: 'skipped' });
    expect(state.status).toBe('succeeded');
  });

  it('waits until the retry policy is used up', () => {
    const retried = graph({ fetch: { type: 'http_request', config: { url: 'http://x', retry: { maxAttempts: 2, backoff: 'fixed', initialDelayMs: 10 } } }, report: {} }, [['t', 'fetch'], ['fetch', 'report', 'error']]);
    const first = run(retried, [started, ok('t'), failed('fetch', 1)]);
    expect(first.commands.at(-1)).toEqual(dispatch('fetch', 2, 10));
    const second = run(retried, [failed('fetch', 2)], first.state);
    expect(second.commands).toEqual([caught('fetch', 'error', 2), dispatch('report')]);
  });

  it('is taken for a failure that is not retryable at once, whatever the retry policy', () => {
    const retried = graph({ fetch: { type: 'http_request', config: { url: 'http://x', retry: { maxAttempts: 5 } } }, report: {} }, [['t', 'fetch'], ['fetch', 'report', 'error']]);
    const fatal = { ...boom, retryable: false };
    const { commands } = run(retried, [started, ok('t'), failed('fetch', 1, fatal)]);
    expect(commands.slice(-2)).toEqual([{ ...caught('fetch', 'error'), error: fatal }, dispatch('report')]);
  });

  it('lets a join after both paths run with whichever path was taken', () => {
    const joined = graph({ fetch: { type: 'http_request', config: { url: 'http://x' } }, use: {}, report: {}, done: {} }, [['t', 'fetch'], ['fetch', 'use'], ['fetch', 'report', 'error'], ['use', 'done'], ['report', 'done']]);
    const { state } = run(joined, [started, ok('t'), failed('fetch'), ok('report'), ok('done')]);
    expect(statuses(state)).toMatchObject({ use: 'skipped', report: 'succeeded', done: 'succeeded' });
    expect(state.status).toBe('succeeded');
  });

  it('wins over continueOnFail when a node has both', () => {
    const both = graph({ fetch: { type: 'http_request', config: { url: 'http://x', continueOnFail: true } }, use: {}, report: {} }, [['t', 'fetch'], ['fetch', 'use'], ['fetch', 'report', 'error']]);
    expect(failureRoute(both, 'fetch', 1, boom, 0)).toEqual({ route: 'error' });
    expect(statuses(run(both, [started, ok('t'), failed('fetch')]).state)).toMatchObject({ use: 'skipped', report: 'queued' });
  });
});

describe('a failure with continueOnFail', () => {
  const g = graph({ fetch: { type: 'http_request', config: { url: 'http://x', continueOnFail: true } }, use: {} }, [['t', 'fetch'], ['fetch', 'use']]);

  it('goes on along the normal edges and the run succeeds', () => {
    const { state, commands } = run(g, [started, ok('t'), failed('fetch'), ok('use')]);
    expect(commands).toEqual([dispatch('t'), dispatch('fetch'), caught('fetch', 'continue'), dispatch('use'), { type: 'complete', status: 'succeeded' }]);
    expect(statuses(state)).toEqual({ t: 'succeeded', fetch: 'failed (caught: continue)', use: 'succeeded' });
  });

  it('skips both sides of a branch that fails, and the run goes on', () => {
    const b = graph({ br: { type: 'branch', config: { continueOnFail: true } }, yes: {}, no: {}, after: {} }, [['t', 'br'], ['br', 'yes', 'true'], ['br', 'no', 'false'], ['t', 'after']]);
    const { state } = run(b, [started, ok('t'), ok('after'), failed('br')]);
    expect(statuses(state)).toMatchObject({ br: 'failed (caught: continue)', yes: 'skipped', no: 'skipped' });
    expect(state.status).toBe('succeeded');
  });

  it('makes a caught sink part of the run output, its output being the error', () => {
    const { state } = run(g, [started, ok('t'), failed('fetch')]);
    const sink = graph({ fetch: { type: 'http_request', config: { url: 'http://x', continueOnFail: true } } }, [['t', 'fetch']]);
    const ended = run(sink, [started, ok('t'), failed('fetch')]).state;
    expect(ended.status).toBe('succeeded');
    const context = buildContext({ inputs: {}, outputs: { t: {}, fetch: boom }, run: { id: 'r', workflowId: 'w' } });
    expect(runOutput(sink, ended, context)).toEqual({ fetch: boom });
    expect(state.status).toBe('running');
  });
});

describe('a failure the node does not catch', () => {
  it('still fails the run', () => {
    const g = graph({ fetch: { type: 'http_request', config: { url: 'http://x' } }, use: {} }, [['t', 'fetch'], ['fetch', 'use']]);
    const { state, commands } = run(g, [started, ok('t'), failed('fetch')]);
    expect(state.status).toBe('failed');
    expect(state.error).toEqual({ code: 'http_error', message: 'node "fetch" failed: the server answered 500', nodeId: 'fetch' });
    expect(commands.some((c) => c.type === 'failure_caught')).toBe(false);
  });

  it('fails the run when the error path itself fails', () => {
    const g = graph({ fetch: { type: 'http_request', config: { url: 'http://x' } }, report: { type: 'http_request', config: { url: 'http://y' } } }, [['t', 'fetch'], ['fetch', 'report', 'error']]);
    const { state } = run(g, [started, ok('t'), failed('fetch'), failed('report')]);
    expect(state.status).toBe('failed');
    expect(state.error?.nodeId).toBe('report');
  });
});

describe('a run with caught failures', () => {
  const g = graph(
    { fetch: { type: 'http_request', config: { url: 'http://x' } }, report: {}, last: { type: 'http_request', config: { url: 'http://y' } } },
    [['t', 'fetch'], ['fetch', 'report', 'error'], ['report', 'last']],
  );
  const history = [started, ok('t'), failed('fetch'), ok('report'), failed('last')];

  it('is rebuilt exactly by replaying its events', () => {
    const { state } = run(g, history);
    expect(replay(g, history)).toEqual(state);
    expect(replay(g, JSON.parse(JSON.stringify(history)) as EngineEvent[])).toEqual(state);
  });

  it('re-runs only what failed the run when retried, not the caught failures', () => {
    const { state } = run(g, history);
    const retried = advance(g, state, { type: 'run.retry_requested' });
    expect(retried.commands).toEqual([{ type: 'reopen' }, dispatch('last', 2)]);
    expect(retried.state.nodes.fetch).toMatchObject({ status: 'failed', caught: 'error' });
  });
});

describe('a pure graph run in memory', () => {
  it('gives the steps after a caught failure its error as the node output', () => {
    const g = graph({ bad: { config: { expression: 'to_number(@)', input: '{{ abs(`"x"`) }}', continueOnFail: true } }, msg: { config: { expression: 'steps.bad.output.code' } } }, [['t', 'bad'], ['bad', 'msg']]);
    const r = runPureGraph(g, {}, { id: 'r', workflowId: 'w' }, false);
    // (A body's single sink is its output.)
    expect(r).toEqual({ status: 'succeeded', output: 'expression_error' });
  });
});

describe('publishing error edges', () => {
  const errorsOf = (def: unknown) => {
    const r = compile(def);
    return r.ok ? [] : r.errors;
  };

  it('accepts an error edge from every node type with the error handle', () => {
    expect(errorsOf(definition({ fetch: { type: 'http_request', config: { url: 'http://x' } }, br: { type: 'branch' }, report: {} }, [['t', 'fetch'], ['fetch', 'br', 'error'], ['br', 'report', 'error']]))).toEqual([]);
  });

  it('refuses an error edge from a node type without it, naming the node and the edge', () => {
    const errors = errorsOf(definition({ ask: { type: 'wait_for_approval', config: { prompt: 'ok?' } }, after: {} }, [['t', 'ask'], ['ask', 'after', 'error'], ['t', 'after']]));
    expect(errors).toEqual([{ path: 'edges[1].sourceHandle', code: 'no_error_handle', message: expect.stringContaining('node "ask" (wait_for_approval) has no error handle'), nodeId: 'ask' }]);
  });

  it('refuses an error edge from the trigger', () => {
    expect(errorsOf(definition({ a: {} }, [['t', 'a', 'error'], ['t', 'a']]))).toMatchObject([{ path: 'edges[0].sourceHandle', code: 'no_error_handle', nodeId: 't' }]);
  });

  it('names the for_each that holds a body node with an error edge it cannot have', () => {
    const body = definition({ ask: { type: 'wait_for_approval', config: { prompt: 'ok?' } }, b: {} }, [['t', 'ask'], ['ask', 'b', 'error'], ['t', 'b']]);
    const errors = errorsOf(definition({ loop: { type: 'for_each', config: { items: 'input.xs', body } } }, [['t', 'loop']]));
    expect(errors).toMatchObject([{ path: 'nodes[1].config.body.edges[1].sourceHandle', code: 'no_error_handle', nodeId: 'loop' }]);
  });

  it('lists the error handle among the handles a node has when a handle is unknown', () => {
    const errors = errorsOf(definition({ fetch: { type: 'http_request', config: { url: 'http://x' } }, a: {} }, [['t', 'fetch'], ['fetch', 'a', 'oops'], ['t', 'a']]));
    expect(errors).toMatchObject([{ code: 'invalid_handle', message: expect.stringContaining('"error"'), nodeId: 'fetch' }]);
  });
});
