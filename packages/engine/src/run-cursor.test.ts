import { describe, expect, it } from 'vitest';
import { advance } from './advance';
import { compileOrThrow } from './compile';
import { RunCursor } from './run-cursor';
import type { EngineEvent, RunState } from './state';

/** trigger → b0 … b{width-1} → join (join: all | any). */
function fanOut(width: number, join: 'all' | 'any' = 'all') {
  const branches = Array.from({ length: width }, (_, i) => `b${i}`);
  return {
    branches,
    graph: compileOrThrow({
      nodes: [
        { id: 'trigger', type: 'trigger', config: {} },
        ...branches.map((id) => ({ id, type: 'transform', config: { expression: '@' } })),
        { id: 'join', type: 'transform', config: { expression: '@', join } },
      ],
      edges: [...branches.map((b) => ({ source: 'trigger', target: b })), ...branches.map((b) => ({ source: b, target: 'join' }))],
    }),
  };
}

const ok = (nodeId: string, attempt = 1): EngineEvent => ({ type: 'step.succeeded', nodeId, attempt });

describe('a run cursor', () => {
  it('dispatches a join of 2,000 edges once, on the last branch, and then completes the run', () => {
    const { graph, branches } = fanOut(2000);
    const cursor = new RunCursor(graph, null);
    cursor.apply({ type: 'run.started' });
    const fan = cursor.apply(ok('trigger'));
    expect(fan.commands).toHaveLength(2000);
    const dispatchedJoin: number[] = [];
    branches.forEach((b, i) => {
      const r = cursor.apply(ok(b));
      expect(r.changed).toBe(true);
      if (r.commands.some((c) => c.type === 'dispatch' && c.nodeId === 'join')) dispatchedJoin.push(i);
    });
    expect(dispatchedJoin).toEqual([1999]);
    expect(cursor.apply(ok('join')).commands).toEqual([{ type: 'complete', status: 'succeeded' }]);
    expect(cursor.state?.status).toBe('succeeded');
  });

  it('runs a join-any on the first branch and completes only when every branch is decided', () => {
    const { graph, branches } = fanOut(3, 'any');
    const cursor = new RunCursor(graph, null);
    cursor.apply({ type: 'run.started' });
    cursor.apply(ok('trigger'));
    expect(cursor.apply(ok('b1')).commands).toEqual([{ type: 'dispatch', nodeId: 'join', attempt: 1, delayMs: 0 }]);
    expect(cursor.apply(ok('join')).commands).toEqual([]);
    expect(cursor.apply(ok(branches[0]!)).commands).toEqual([]);
    expect(cursor.apply(ok(branches[2]!)).commands).toEqual([{ type: 'complete', status: 'succeeded' }]);
  });

  it('skips the branches not taken and the join behind them, then completes the run', () => {
    const graph = compileOrThrow({
      nodes: [
        { id: 't', type: 'trigger', config: {} },
        { id: 'if', type: 'branch', config: { condition: '@' } },
        { id: 'a', type: 'transform', config: { expression: '@' } },
        { id: 'b', type: 'transform', config: { expression: '@' } },
        { id: 'join', type: 'transform', config: { expression: '@' } },
      ],
      edges: [
        { source: 't', target: 'if' },
        { source: 'if', target: 'a', sourceHandle: 'true' },
        { source: 'if', target: 'b', sourceHandle: 'true' },
        { source: 'a', target: 'join' },
        { source: 'b', target: 'join' },
      ],
    });
    const cursor = new RunCursor(graph, null);
    cursor.apply({ type: 'run.started' });
    cursor.apply(ok('t'));
    const r = cursor.apply({ type: 'step.succeeded', nodeId: 'if', attempt: 1, handle: 'false' });
    expect(r.commands).toEqual([
      { type: 'skip', nodeId: 'a' },
      { type: 'skip', nodeId: 'b' },
      { type: 'skip', nodeId: 'join' },
      { type: 'complete', status: 'succeeded' },
    ]);
  });

  it('never writes to the state it was given, and reports stale events as unchanged', () => {
    const { graph } = fanOut(3);
    const started = advance(graph, advance(graph, null, { type: 'run.started' }).state, ok('trigger')).state;
    const frozen = JSON.parse(JSON.stringify(started)) as RunState;
    Object.freeze(frozen.nodes);
    Object.freeze(frozen);
    const cursor = new RunCursor(graph, frozen);
    expect(cursor.apply(ok('b0', 2))).toEqual({ changed: false, commands: [] });
    expect(cursor.state).toBe(frozen);
    expect(cursor.apply(ok('b0')).changed).toBe(true);
    expect(cursor.apply(ok('b1')).changed).toBe(true);
    expect(cursor.state).not.toBe(frozen);
    expect(frozen).toEqual(started);
    expect(cursor.apply(ok('b1'))).toEqual({ changed: false, commands: [] });
  });

  it('writes an adopted state in place instead of copying it', () => {
    const { graph } = fanOut(2);
    const stored = JSON.parse(JSON.stringify(advance(graph, advance(graph, null, { type: 'run.started' }).state, ok('trigger')).state)) as RunState;
    const cursor = new RunCursor(graph, stored, { adopt: true });
    expect(cursor.apply(ok('b0')).changed).toBe(true);
    expect(cursor.state).toBe(stored);
    expect(stored.nodes.b0?.status).toBe('succeeded');
  });

  it('picks up a stored state mid-run and agrees with advance on the rest of it', () => {
    const { graph, branches } = fanOut(50);
    let state = advance(graph, advance(graph, null, { type: 'run.started' }).state, ok('trigger')).state;
    for (const b of branches.slice(0, 20)) state = advance(graph, state, ok(b)).state;
    const stored = JSON.parse(JSON.stringify(state)) as RunState;
    const cursor = new RunCursor(graph, stored);
    for (const b of branches.slice(20)) {
      const expected = advance(graph, state, ok(b));
      state = expected.state;
      expect(cursor.apply(ok(b)).commands).toEqual(expected.commands);
    }
    expect(cursor.state).toEqual(state);
  });
});

describe('the edge index of a compiled graph', () => {
  it('gives every node a slot in topological order, with in-degrees and edges by source', () => {
    const { graph } = fanOut(3);
    const { slot, inDegree, ordered, out } = graph.edgeIndex;
    expect(graph.order.map((id) => slot.get(id))).toEqual([0, 1, 2, 3, 4]);
    expect(inDegree[slot.get('join')!]).toBe(3);
    expect(inDegree[slot.get('trigger')!]).toBe(0);
    expect([...ordered]).toEqual([1, 1, 1, 1, 1]);
    expect(out.get('trigger')?.map((e) => e.target)).toEqual(['b0', 'b1', 'b2'].map((id) => slot.get(id)));
    expect(out.get('b2')).toEqual([{ target: slot.get('join'), handle: undefined }]);
    expect(out.has('join')).toBe(false);
  });
});
