import type { StepError } from '@weft/workflow-schema';
import { describe, expect, it } from 'vitest';
import { advance, replay } from './advance';
import type { WorkflowGraph } from './graph';
import type { Command, EngineEvent, RunState } from './state';
import { testGraph } from './test-graph';

/** A graph from a trigger `t` and terse node and edge lists. */
const graph = testGraph;

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/** Feeds events one by one (each input state frozen) and collects every command. */
function run(g: WorkflowGraph, events: EngineEvent[], from: RunState | null = null) {
  let state = from;
  const commands: Command[] = [];
  for (const e of events) {
    const t = advance(g, deepFreeze(state), e);
    state = t.state;
    commands.push(...t.commands);
  }
  return { state: state!, commands };
}

const started: EngineEvent = { type: 'run.started' };
const ok = (nodeId: string, handle?: string, attempt = 1): EngineEvent => ({
  type: 'step.succeeded',
  nodeId,
  attempt,
  ...(handle !== undefined ? { handle } : {}),
});
const failed = (nodeId: string, error: Partial<StepError> = {}, attempt = 1, random = 0.5): EngineEvent => ({
  type: 'step.failed',
  nodeId,
  attempt,
  random,
  error: { code: 'boom', message: 'it broke', retryable: false, ...error },
});
const dispatch = (nodeId: string, attempt = 1, delayMs = 0): Command => ({ type: 'dispatch', nodeId, attempt, delayMs });
const statuses = (state: RunState) => Object.fromEntries(Object.entries(state.nodes).map(([id, n]) => [id, n.status]));

describe('advance through a linear chain', () => {
  const g = graph({ a: {}, b: {} }, [['t', 'a'], ['a', 'b']]);

  it('starts by dispatching the trigger', () => {
    expect(advance(g, null, started)).toEqual({
      state: { status: 'running', nodes: { t: { status: 'queued', attempt: 1 } } },
      commands: [dispatch('t')],
    });
  });

  it('dispatches each node after its predecessor and completes after the last one', () => {
    const { state, commands } = run(g, [started, ok('t'), ok('a'), ok('b')]);
    expect(commands).toEqual([dispatch('t'), dispatch('a'), dispatch('b'), { type: 'complete', status: 'succeeded' }]);
    expect(state.status).toBe('succeeded');
    expect(statuses(state)).toEqual({ t: 'succeeded', a: 'succeeded', b: 'succeeded' });
  });

  it('does not complete while a node is still to run', () => {
    const { state, commands } = run(g, [started, ok('t'), ok('a')]);
    expect(state.status).toBe('running');
    expect(commands.some((c) => c.type === 'complete')).toBe(false);
  });

  it('ignores a second run.started', () => {
    const first = run(g, [started]).state;
    const t = advance(g, deepFreeze(first), started);
    expect(t.state).toBe(first);
    expect(t.commands).toEqual([]);
  });
});

describe('advance through fan-out and joins', () => {
  it('fans out to every successor at once and runs a join-all node once, after its last input', () => {
    const g = graph({ a: {}, b: {}, c: {}, sum: {} }, [['t', 'a'], ['t', 'b'], ['t', 'c'], ['a', 'sum'], ['b', 'sum'], ['c', 'sum']]);
    const fan = run(g, [started, ok('t')]);
    expect(fan.commands.slice(1)).toEqual([dispatch('a'), dispatch('b'), dispatch('c')]);
    const partial = run(g, [ok('c'), ok('a')], fan.state);
    expect(partial.commands).toEqual([]);
    expect(partial.state.nodes.sum).toBeUndefined();
    const done = run(g, [ok('b'), ok('sum')], partial.state);
    expect(done.commands).toEqual([dispatch('sum'), { type: 'complete', status: 'succeeded' }]);
  });

  it('runs a join-any node once, on the first input to succeed', () => {
    const g = graph({ a: {}, b: {}, first: { config: { join: 'any' } } }, [['t', 'a'], ['t', 'b'], ['a', 'first'], ['b', 'first']]);
    const { state, commands } = run(g, [started, ok('t'), ok('b'), ok('a'), ok('first')]);
    expect(commands.filter((c) => c.type === 'dispatch' && c.nodeId === 'first')).toEqual([dispatch('first')]);
    expect(commands.findIndex((c) => c.type === 'dispatch' && c.nodeId === 'first')).toBe(
      commands.findIndex((c) => c.type === 'dispatch' && c.nodeId === 'b') + 1,
    );
    expect(state.status).toBe('succeeded');
  });

  it('skips a join-any node when none of its inputs can succeed', () => {
    const g = graph(
      { br: { type: 'branch' }, a: {}, b: {}, any: { config: { join: 'any' } } },
      [['t', 'br'], ['br', 'a', 'true'], ['br', 'b', 'true'], ['a', 'any'], ['b', 'any']],
    );
    const { state, commands } = run(g, [started, ok('t'), ok('br', 'false')]);
    expect(statuses(state)).toEqual({ t: 'succeeded', br: 'succeeded', a: 'skipped', b: 'skipped', any: 'skipped' });
    expect(commands.at(-1)).toEqual({ type: 'complete', status: 'succeeded' });
  });
});

describe('advance through a branch', () => {
  const g = graph(
    { big: { type: 'branch' }, manual: {}, auto: {}, after_manual: {}, done: {} },
    [['t', 'big'], ['big', 'manual', 'true'], ['big', 'auto', 'false'], ['manual', 'after_manual'], ['after_manual', 'done'], ['auto', 'done']],
  );

  it('takes the true side, skips the false side, and runs the join with the side that was taken', () => {
    const { state, commands } = run(g, [started, ok('t'), ok('big', 'true'), ok('manual'), ok('after_manual'), ok('done')]);
    expect(commands).toEqual([
      dispatch('t'),
      dispatch('big'),
      dispatch('manual'),
      { type: 'skip', nodeId: 'auto' },
      dispatch('after_manual'),
      dispatch('done'),
      { type: 'complete', status: 'succeeded' },
    ]);
    expect(statuses(state)).toEqual({ t: 'succeeded', big: 'succeeded', manual: 'succeeded', auto: 'skipped', after_manual: 'succeeded', done: 'succeeded' });
    expect(state.nodes.big!.handle).toBe('true');
  });

  it('takes the false side, propagates the skip down the true side, and runs the join', () => {
    const { state, commands } = run(g, [started, ok('t'), ok('big', 'false')]);
    expect(commands.slice(2)).toEqual([{ type: 'skip', nodeId: 'manual' }, dispatch('auto'), { type: 'skip', nodeId: 'after_manual' }]);
    const end = run(g, [ok('auto'), ok('done')], state);
    expect(end.commands).toEqual([dispatch('done'), { type: 'complete', status: 'succeeded' }]);
    expect(statuses(end.state)).toMatchObject({ manual: 'skipped', after_manual: 'skipped', auto: 'succeeded', done: 'succeeded' });
  });

  it('waits for the join until the skip of the other side has arrived', () => {
    const { state } = run(g, [started, ok('t'), ok('big', 'true'), ok('manual')]);
    expect(state.nodes.done).toBeUndefined();
  });

  it('skips a node whose every incoming edge is dead and propagates the skip to its successors', () => {
    const h = graph(
      { br: { type: 'branch' }, x: {}, y: {}, z: {} },
      [['t', 'br'], ['br', 'x', 'true'], ['br', 'y', 'true'], ['x', 'z'], ['y', 'z']],
    );
    const { state, commands } = run(h, [started, ok('t'), ok('br', 'false')]);
    expect(commands.slice(2)).toEqual([
      { type: 'skip', nodeId: 'x' },
      { type: 'skip', nodeId: 'y' },
      { type: 'skip', nodeId: 'z' },
      { type: 'complete', status: 'succeeded' },
    ]);
    expect(state.nodes.z).toEqual({ status: 'skipped', attempt: 0 });
  });
});

describe('advance ignores stale and duplicate events', () => {
  const g = graph({ a: { config: { retry: { maxAttempts: 3 } } }, b: {} }, [['t', 'a'], ['a', 'b']]);
  const running = run(g, [started, ok('t')]).state;
  const finished = run(g, [ok('a'), ok('b')], running).state;
  const cases: [string, RunState, EngineEvent][] = [
    ['a duplicate success', running, ok('t')],
    ['a success of an older attempt', run(g, [failed('a', { retryable: true })], running).state, ok('a', undefined, 1)],
    ['a failure of an older attempt', run(g, [failed('a', { retryable: true })], running).state, failed('a', {}, 1)],
    ['a success of a future attempt', running, ok('a', undefined, 2)],
    ['a success of a node not dispatched yet', running, ok('b')],
    ['a success of an unknown node', running, ok('nope')],
    ['any event after the run finished', finished, failed('b')],
    ['a cancel after the run finished', finished, { type: 'run.cancel_requested' }],
  ];

  it.each(cases)('answers the same state object and no commands for %s', (_name, state, event) => {
    const t = advance(g, deepFreeze(state), event);
    expect(t.state).toBe(state);
    expect(t.commands).toEqual([]);
  });
});

describe('advance retries failed steps', () => {
  const policy = { maxAttempts: 3, backoff: 'exponential', initialDelayMs: 1000, maxDelayMs: 60_000 };
  const g = graph({ call: { config: { retry: policy } }, next: {} }, [['t', 'call'], ['call', 'next']]);
  const running = run(g, [started, ok('t')]).state;

  it('dispatches attempt n+1 with a delay inside the full-jitter bound', () => {
    for (const random of [0, 0.25, 0.999999]) {
      const t = advance(g, running, failed('call', { retryable: true }, 1, random));
      const [cmd] = t.commands;
      expect(cmd).toMatchObject({ type: 'dispatch', nodeId: 'call', attempt: 2 });
      const delay = (cmd as { delayMs: number }).delayMs;
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThanOrEqual(1000);
      expect(delay).toBe(Math.floor(random * 1000));
      expect(t.state.nodes.call).toEqual({ status: 'queued', attempt: 2 });
      expect(t.state.status).toBe('running');
    }
    const second = run(g, [failed('call', { retryable: true }, 1), failed('call', { retryable: true }, 2, 0.999999)], running);
    expect(second.commands.at(-1)).toMatchObject({ type: 'dispatch', attempt: 3 });
    expect((second.commands.at(-1) as { delayMs: number }).delayMs).toBeLessThanOrEqual(2000);
  });

  it('waits at least the Retry-After the failure carried', () => {
    const t = advance(g, running, failed('call', { retryable: true, details: { retryAfterMs: 5000 } }, 1, 0));
    expect(t.commands).toEqual([dispatch('call', 2, 5000)]);
  });

  it('runs the successor when a retry succeeds', () => {
    const { state, commands } = run(g, [failed('call', { retryable: true }), ok('call', undefined, 2)], running);
    expect(commands.at(-1)).toEqual(dispatch('next'));
    expect(state.nodes.call).toEqual({ status: 'succeeded', attempt: 2 });
  });

  it('fails the run once the attempts are used up', () => {
    const events = [1, 2, 3].map((n) => failed('call', { retryable: true }, n));
    const { state, commands } = run(g, events, running);
    expect(commands.filter((c) => c.type === 'dispatch').map((c) => (c as { attempt: number }).attempt)).toEqual([2, 3]);
    expect(state.status).toBe('failed');
    expect(state.nodes.call).toMatchObject({ status: 'failed', attempt: 3 });
  });

  it('does not retry a node without a retry policy', () => {
    const h = graph({ a: {} }, [['t', 'a']]);
    const { state } = run(h, [started, ok('t'), failed('a', { retryable: true })]);
    expect(state.status).toBe('failed');
  });
});

describe('advance fails and cancels runs', () => {
  const g = graph({ a: { config: { retry: { maxAttempts: 5 } } }, b: {}, c: {}, d: {} }, [['t', 'a'], ['t', 'b'], ['t', 'c'], ['c', 'd']]);

  it('fails the run on a non-retryable failure, despite a retry policy, and cancels the active steps', () => {
    const { state, commands } = run(g, [started, ok('t'), ok('c'), failed('a', { code: 'http_error', message: '404' })]);
    const error = { code: 'http_error', message: 'node "a" failed: 404', nodeId: 'a' };
    expect(commands.slice(-2)).toEqual([
      { type: 'cancel_steps', nodeIds: ['b', 'd'] },
      { type: 'complete', status: 'failed', error },
    ]);
    expect(state.status).toBe('failed');
    expect(state.error).toEqual(error);
    expect(statuses(state)).toEqual({ t: 'succeeded', a: 'failed', b: 'cancelled', c: 'succeeded', d: 'cancelled' });
    expect(state.nodes.a!.error).toMatchObject({ code: 'http_error', retryable: false });
  });

  it('cancels the run and every active step on run.cancel_requested', () => {
    const { state, commands } = run(g, [started, ok('t'), { type: 'run.cancel_requested', reason: 'by user' }]);
    expect(commands.slice(-2)).toEqual([
      { type: 'cancel_steps', nodeIds: ['a', 'b', 'c'] },
      { type: 'complete', status: 'cancelled', error: { code: 'cancelled', message: 'by user' } },
    ]);
    expect(state.status).toBe('cancelled');
    expect(statuses(state)).toEqual({ t: 'succeeded', a: 'cancelled', b: 'cancelled', c: 'cancelled' });
  });

  it('ignores events of cancelled steps after the cancel', () => {
    const cancelled = run(g, [started, ok('t'), { type: 'run.cancel_requested' }]).state;
    for (const e of [ok('a'), failed('b'), started]) {
      const t = advance(g, deepFreeze(cancelled), e);
      expect(t.state).toBe(cancelled);
      expect(t.commands).toEqual([]);
    }
  });
});

describe('advance completion and purity', () => {
  it('completes succeeded only once every node is decided', () => {
    const g = graph({ br: { type: 'branch' }, a: {}, b: {}, c: {} }, [['t', 'br'], ['br', 'a', 'true'], ['br', 'b', 'false'], ['t', 'c']]);
    const events = [started, ok('t'), ok('br', 'true'), ok('a'), ok('c')];
    let state: RunState | null = null;
    for (const [i, e] of events.entries()) {
      const t = advance(g, state, e);
      state = t.state;
      const decided = g.order.every((id) => ['succeeded', 'skipped'].includes(state!.nodes[id]?.status ?? ''));
      expect(state.status === 'succeeded', `after event ${i}`).toBe(decided);
      expect(t.commands.some((c) => c.type === 'complete'), `after event ${i}`).toBe(decided);
    }
    expect(state!.status).toBe('succeeded');
  });

  it('never mutates the state it is given', () => {
    const g = graph(
      { br: { type: 'branch' }, a: { config: { retry: { maxAttempts: 2 } } }, b: {}, j: {} },
      [['t', 'br'], ['br', 'a', 'true'], ['br', 'b', 'false'], ['a', 'j'], ['b', 'j']],
    );
    const histories: EngineEvent[][] = [
      [started, ok('t'), ok('br', 'true'), failed('a', { retryable: true }), ok('a', undefined, 2), ok('j')],
      [started, ok('t'), ok('br', 'false'), ok('b'), ok('j')],
      [started, ok('t'), ok('br', 'true'), failed('a')],
      [started, ok('t'), { type: 'run.cancel_requested' }],
    ];
    for (const events of histories) {
      let state: RunState | null = null;
      for (const e of events) {
        const before = structuredClone(state);
        const t = advance(g, deepFreeze(state), e);
        expect(state).toEqual(before);
        state = t.state;
      }
    }
  });

  it('replays a history into the state it produced', () => {
    const g = graph({ a: { config: { retry: { maxAttempts: 2 } } }, b: {} }, [['t', 'a'], ['a', 'b']]);
    const events = [started, ok('t'), failed('a', { retryable: true }), ok('a', undefined, 2), ok('a', undefined, 2), ok('b')];
    expect(replay(g, events)).toEqual(run(g, events).state);
    expect(replay(g, [])).toBeNull();
  });
});
