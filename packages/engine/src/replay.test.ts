import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { advance, isFinished, replay } from './advance';
import { compile } from './compile';
import { RunCursor } from './run-cursor';
import type { WorkflowGraph } from './graph';
import { ACTIVE_STEP_STATUSES, type EngineEvent, type NodeState, type RunState } from './state';

/*
 * Property: for any valid DAG and any order of deliveries (successes, retryable and final
 * failures, duplicates, stale attempts, cancels), a run always ends, replaying the recorded
 * input events rebuilds exactly the final state, and the engine never breaks its invariants.
 */

interface Spec {
  nodes: { id: string; type: 'transform' | 'branch'; join: 'all' | 'any'; maxAttempts: number; continueOnFail: boolean }[];
  edges: { source: string; target: string; sourceHandle?: string }[];
}

const HANDLES = ['true', 'false'] as const;

/**
 * A trigger and 1–15 transform/branch nodes; node i gets an edge from an earlier node, so all is
 * reachable and acyclic. Some nodes catch their failures: continueOnFail, or extra `error` edges.
 */
const dagArb: fc.Arbitrary<Spec> = fc.integer({ min: 1, max: 15 }).chain((n) =>
  fc
    .record({
      kinds: fc.array(fc.record({ branch: fc.boolean(), joinAny: fc.boolean(), maxAttempts: fc.integer({ min: 1, max: 3 }), catches: fc.nat({ max: 3 }) }), { minLength: n, maxLength: n }),
      parents: fc.array(fc.tuple(fc.nat(), fc.nat({ max: 1 })), { minLength: n, maxLength: n }),
      extra: fc.array(fc.tuple(fc.nat(), fc.nat(), fc.nat({ max: 2 })), { maxLength: 2 * n }),
    })
    .map(({ kinds, parents, extra }) => {
      const ids = ['t', ...kinds.map((_, i) => `n${i + 1}`)];
      const nodes = kinds.map((k, i) => ({
        id: ids[i + 1]!,
        type: k.branch ? ('branch' as const) : ('transform' as const),
        join: k.joinAny ? ('any' as const) : ('all' as const),
        maxAttempts: k.maxAttempts,
        continueOnFail: k.catches === 0,
      }));
      const isBranch = (index: number) => index > 0 && nodes[index - 1]!.type === 'branch';
      const edges: Spec['edges'] = [];
      const keys = new Set<string>();
      const add = (s: number, t: number, h: number) => {
        // h = 2: the error edge (not from the trigger, which has no error handle).
        const handle = h === 2 ? (s > 0 ? 'error' : undefined) : isBranch(s) ? HANDLES[h] : undefined;
        if (handle === undefined && isBranch(s)) return;
        const edge = { source: ids[s]!, target: ids[t]!, ...(handle ? { sourceHandle: handle } : {}) };
        const key = `${edge.source}>${edge.target}>${edge.sourceHandle ?? ''}`;
        if (keys.has(key)) return;
        keys.add(key);
        edges.push(edge);
      };
      parents.forEach(([seed, h], i) => add(seed % (i + 1), i + 1, h));
      for (const [a, b, h] of extra) {
        const target = 1 + (a % n);
        add(b % target, target, h);
      }
      return { nodes, edges };
    }),
);

function build(spec: Spec): WorkflowGraph {
  const r = compile({
    nodes: [
      { id: 't', type: 'trigger', config: {} },
      ...spec.nodes.map((n) => ({
        id: n.id,
        type: n.type,
        config: {
          ...(n.type === 'branch' ? { condition: '@' } : { expression: '@' }),
          join: n.join,
          ...(n.continueOnFail ? { continueOnFail: true } : {}),
          retry: { maxAttempts: n.maxAttempts, initialDelayMs: 100, maxDelayMs: 1000 },
        },
      })),
    ],
    edges: spec.edges,
  });
  if (!r.ok) throw new Error(`generated an invalid DAG: ${JSON.stringify(r.errors)}`);
  return r.graph;
}

const MAX_DELIVERIES = 1000;

/** Drives one run with random deliveries; checks invariants on the way and answers the history. */
function simulate(graph: WorkflowGraph, gen: fc.GeneratorValue) {
  const events: EngineEvent[] = [];
  const dispatched = new Set<string>();
  const completions: string[] = [];
  let state: RunState | null = null;
  // The same deliveries folded by one cursor (join counters, one copy) must match advance (scans, a copy per event).
  const cursor = new RunCursor(graph, null);

  const deliver = (event: EngineEvent) => {
    events.push(event);
    const t = advance(graph, state, event);
    const folded = cursor.apply(event);
    expect(folded.changed).toBe(t.state !== state);
    expect(folded.commands).toEqual(t.commands);
    expect(cursor.state).toEqual(t.state);
    // A cursor adopting the stored state (as the orchestrator does each transition) builds its counters from it.
    const adopted = new RunCursor(graph, state && (JSON.parse(JSON.stringify(state)) as RunState), { adopt: true });
    expect(adopted.apply(event).commands).toEqual(t.commands);
    if (t.state !== state) expect(adopted.state).toEqual(t.state);
    for (const c of t.commands) {
      if (c.type === 'dispatch') {
        const key = `${c.nodeId}#${c.attempt}`;
        expect(dispatched.has(key), `${key} dispatched twice`).toBe(false);
        dispatched.add(key);
        expect(c.delayMs).toBeGreaterThanOrEqual(0);
        expect(c.delayMs).toBeLessThanOrEqual(1000);
      }
      if (c.type === 'complete') {
        completions.push(c.status);
        expect(t.state.status).toBe(c.status);
      }
    }
    return t;
  };
  /** Delivers an event that must change nothing. */
  const deliverNoop = (event: EngineEvent) => {
    const before = state;
    const t = deliver(event);
    expect(t.state, `${JSON.stringify(event)} changed the state`).toBe(before);
    expect(t.commands).toEqual([]);
  };

  state = deliver({ type: 'run.started' }).state;
  for (let i = 0; i < MAX_DELIVERIES && !isFinished(state); i += 1) {
    const active: [string, NodeState][] = Object.entries(state.nodes).filter(([, n]) => ACTIVE_STEP_STATUSES.has(n.status));
    expect(active.length, `run stuck: ${JSON.stringify(state)}`).toBeGreaterThan(0);
    const roll = gen(fc.nat, { max: 99 });
    if (roll < 2) {
      state = deliver({ type: 'run.cancel_requested' }).state;
    } else if (roll < 10 && events.length > 1) {
      // A duplicate of something already delivered (at-least-once delivery upstream).
      const old = events[gen(fc.nat, { max: events.length - 1 })]!;
      if (old.type === 'step.succeeded' || old.type === 'step.failed') {
        const node = state.nodes[old.nodeId];
        if (!node || node.attempt !== old.attempt || !ACTIVE_STEP_STATUSES.has(node.status)) deliverNoop(old);
      } else if (old.type === 'run.started') deliverNoop(old);
    } else if (roll < 13) {
      // A success of a node nobody dispatched yet, or of an attempt that is not the live one.
      const id = graph.order[gen(fc.nat, { max: graph.order.length - 1 })]!;
      const node = state.nodes[id];
      const attempt = node ? node.attempt + 1 : 1;
      if (!node || ACTIVE_STEP_STATUSES.has(node.status)) {
        if (node) deliverNoop({ type: 'step.succeeded', nodeId: id, attempt });
        else deliverNoop({ type: 'step.succeeded', nodeId: id, attempt: 1, handle: 'true' });
      }
    } else {
      const [nodeId, node] = active[gen(fc.nat, { max: active.length - 1 })]!;
      const outcome = gen(fc.nat, { max: 19 });
      const random = gen(fc.double, { min: 0, max: 1, maxExcluded: true, noNaN: true });
      if (outcome < 15) {
        const isBranch = graph.node(nodeId).type === 'branch';
        const handle = isBranch ? HANDLES[gen(fc.nat, { max: 1 })] : undefined;
        state = deliver({ type: 'step.succeeded', nodeId, attempt: node.attempt, ...(handle ? { handle } : {}) }).state;
      } else {
        const retryable = outcome < 19;
        const error = { code: retryable ? 'flaky' : 'broken', message: 'failed', retryable };
        state = deliver({ type: 'step.failed', nodeId, attempt: node.attempt, error, random }).state;
      }
    }
  }
  return { state, events, completions, cursor };
}

describe('replaying a run', () => {
  it('rebuilds the final state from the input events, and every run ends with its invariants kept', () => {
    const seen = { succeeded: 0, failed: 0, cancelled: 0, caught: 0 };
    fc.assert(
      fc.property(dagArb, fc.gen(), (spec, gen) => {
        const graph = build(spec);
        const { state, events, completions, cursor } = simulate(graph, gen);

        expect(isFinished(state), 'the run did not end').toBe(true);
        expect(completions).toEqual([state.status]);
        seen[state.status as keyof typeof seen] += 1;
        if (Object.values(state.nodes).some((n) => n.caught)) seen.caught += 1;
        expect(Object.values(state.nodes).filter((n) => ACTIVE_STEP_STATUSES.has(n.status))).toEqual([]);
        if (state.status === 'succeeded') {
          for (const id of graph.order) expect(['succeeded', 'skipped', 'caught'], id).toContain(state.nodes[id]?.caught ? 'caught' : state.nodes[id]?.status);
        }
        for (const n of Object.values(state.nodes)) if (n.caught) expect(n.status).toBe('failed');
        if (state.status === 'failed') {
          expect(Object.values(state.nodes).filter((n) => n.status === 'failed' && !n.caught)).toHaveLength(1);
          expect(state.error?.nodeId).toBeDefined();
        }

        // Finished runs ignore everything, cancels included.
        const after = advance(graph, state, { type: 'run.cancel_requested' });
        expect(after.state).toBe(state);
        expect(after.commands).toEqual([]);

        // A retry of the finished run: the cursor that folded the whole history agrees with advance.
        const retry: EngineEvent = { type: 'run.retry_requested', ...(gen(fc.boolean) ? { fromNodeId: graph.order[gen(fc.nat, { max: graph.order.length - 1 })]! } : {}) };
        const retried = advance(graph, state, retry);
        const folded = cursor.apply(retry);
        expect(folded.changed).toBe(retried.state !== state);
        expect(folded.commands).toEqual(retried.commands);
        expect(cursor.state).toEqual(retried.state);

        expect(replay(graph, events)).toEqual(state);
        expect(replay(graph, JSON.parse(JSON.stringify(events)) as EngineEvent[])).toEqual(state);
      }),
      { numRuns: 300 },
    );
    // The generator must reach every ending (and catch failures), or the property says little.
    expect(seen.caught).toBeGreaterThan(0);
    expect(seen.succeeded).toBeGreaterThan(0);
    expect(seen.failed).toBeGreaterThan(0);
    expect(seen.cancelled).toBeGreaterThan(0);
  });

  it('generates only valid DAGs that the compiler accepts', () => {
    fc.assert(
      fc.property(dagArb, (spec) => {
        const graph = build(spec);
        expect(graph.order).toHaveLength(spec.nodes.length + 1);
        for (const e of spec.edges) if (e.sourceHandle !== 'error') expect(graph.node(e.source).type === 'branch').toBe(e.sourceHandle !== undefined);
      }),
      { numRuns: 200 },
    );
  });
});
