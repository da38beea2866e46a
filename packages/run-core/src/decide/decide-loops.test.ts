import { describe, expect, it } from 'vitest';
import { decide } from './decide';
import { DEFAULT_ORCHESTRATOR_LIMITS } from './limits';
import { after, edge, effectsOf, eventTypes, fn, graphOf, newRun, settled, snapshot, stepOf, testEnv, transform, trigger, writeOf } from './test-support';
import type { Reads } from './types';

const loop = (body: { nodes: unknown[]; edges?: unknown[] }, concurrency = 2) =>
  graphOf({
    nodes: [trigger, { id: 'each', type: 'for_each', config: { items: 'input.items', concurrency, body } }],
    edges: [edge('t', 'each')],
    settings: { output: 'steps.each.output' },
  });
const pureBody = { nodes: [trigger, transform('double', 'item * `2`')], edges: [edge('t', 'double')] };
const ioBody = { nodes: [trigger, fn('call')], edges: [edge('t', 'call')] };
const items = (n: number) => ({ items: Array.from({ length: n }, (_, i) => i) });
const limits = (over: Partial<typeof DEFAULT_ORCHESTRATOR_LIMITS>) => testEnv({ limits: { ...DEFAULT_ORCHESTRATOR_LIMITS, ...over } });

describe('decide: for_each', () => {
  it('runs a pure body in place: every item evaluated in the decision, the loop and the run succeed with the outputs in item order', () => {
    const plan = decide(snapshot(newRun({ inputs: items(4) })), loop(pureBody), testEnv());
    expect(eventTypes(plan)).toEqual(['run.started', 'step.dispatched', 'step.succeeded', 'loop.completed', 'step.succeeded', 'run.succeeded']);
    expect(writeOf(plan).completion).toEqual({ output: [0, 2, 4, 6], error: null });
    expect(effectsOf(plan)).toEqual([]);
  });

  it('starts one iteration run per item for a body with executor steps: insert-iterations and start-iterations effects, the step running', () => {
    const plan = decide(snapshot(newRun({ inputs: items(3) })), loop(ioBody, 2), testEnv());
    const each = stepOf(plan, 'each');
    expect(each).toMatchObject({ status: 'running', itemsTotal: 3 });
    expect(effectsOf(plan)).toEqual([
      { type: 'insert-iterations', stepId: each.id, bodyPath: 'each', itemsJson: '[0,1,2]' },
      { type: 'start-iterations', stepId: each.id, concurrency: 2 },
    ]);
    expect(eventTypes(plan)).toContain('loop.started');
    expect(writeOf(plan).status).toBe('running');
  });

  it('succeeds at once with an empty array for no items', () => {
    const plan = decide(snapshot(newRun({ inputs: items(0) })), loop(ioBody), testEnv());
    expect(writeOf(plan).completion).toEqual({ output: [], error: null });
    expect(effectsOf(plan)).toEqual([]);
  });

  it('fails the node past maxForEachItems', () => {
    const plan = decide(snapshot(newRun({ inputs: items(5) })), loop(ioBody), limits({ maxForEachItems: 4 }));
    expect(writeOf(plan).completion?.error).toMatchObject({ code: 'budget_exceeded', nodeId: 'each' });
    expect(effectsOf(plan)).toEqual([]);
  });

  it('counts the iterations of the loops around the run against maxIterationsPerRun', () => {
    const run = newRun({ inputs: items(5), parent_step_id: 'outer-step', kind: 'iteration' });
    expect(decide(snapshot(structuredClone(run)), loop(ioBody), testEnv())).toEqual({ kind: 'needs', reads: [{ read: 'enclosingIterations' }] });
    const over = decide(snapshot(structuredClone(run), [], { enclosingIterations: 3 }), loop(ioBody), limits({ maxIterationsPerRun: 14 }));
    expect(writeOf(over).completion?.error).toMatchObject({ code: 'budget_exceeded', message: expect.stringContaining('15 iterations') });
    const within = decide(snapshot(structuredClone(run), [], { enclosingIterations: 3 }), loop(ioBody), limits({ maxIterationsPerRun: 15 }));
    expect(effectsOf(within).map((e) => e.type)).toEqual(['insert-iterations', 'start-iterations']);
  });

  it('counts the iterations the run started before against maxIterationsPerRun', () => {
    const graph = graphOf({
      nodes: [trigger, fn('f'), { id: 'each', type: 'for_each', config: { items: 'input.items', body: ioBody } }],
      edges: [edge('t', 'f'), edge('f', 'each')],
    });
    const start = decide(snapshot(newRun({ inputs: items(5) })), graph, testEnv());
    const run = after(newRun({ inputs: items(5) }), start);
    const f = settled(stepOf(start, 'f'));
    const reads: Reads = { outputs: { t: {}, f: {} } };
    expect(decide(snapshot(structuredClone(run), [f], reads), graph, testEnv())).toEqual({ kind: 'needs', reads: [{ read: 'iterationsStarted' }] });
    const over = decide(snapshot(structuredClone(run), [f], { ...reads, iterationsStarted: 2 }), graph, limits({ maxIterationsPerRun: 6 }));
    expect(writeOf(over).completion?.error).toMatchObject({ code: 'budget_exceeded', message: expect.stringContaining('+ 2 started before') });
  });

  it('fails the node past maxLoopDepth', () => {
    const run = newRun({ inputs: items(1), body_path: 'a/b/c/d' });
    const plan = decide(snapshot(run), loop(ioBody), testEnv());
    expect(writeOf(plan).completion?.error).toMatchObject({ code: 'budget_exceeded', message: expect.stringContaining('5 levels deep') });
  });
});

describe('decide: loop progress', () => {
  /** A run whose for_each of three items runs as iterations. */
  function running() {
    const graph = loop(ioBody, 2);
    const start = decide(snapshot(newRun({ inputs: items(3) })), graph, testEnv());
    const each = stepOf(start, 'each');
    return { graph, run: after(newRun({ inputs: items(3) }), start), each };
  }
  const progress = (each: { id: string }, over: object) => ({ stepId: each.id, nodeId: 'each', attempt: 1, itemsTotal: 3, itemsDone: 1, itemsFailed: 0, ...over });

  it('asks for the running loops, then starts more iterations while items remain (an effect, no state change)', () => {
    const { graph, run, each } = running();
    expect(decide(snapshot(structuredClone(run)), graph, testEnv())).toEqual({ kind: 'needs', reads: [{ read: 'loops' }] });
    expect(decide(snapshot(run, [], { loops: [progress(each, {})] }), graph, testEnv())).toEqual({ kind: 'write', write: undefined, effects: [{ type: 'start-iterations', stepId: each.id, concurrency: 2 }] });
  });

  it('settles the loop with its items\' outputs when all are done (an applied effect), and the run completes with them', () => {
    const { graph, run, each } = running();
    const plan = decide(snapshot(run, [], { loops: [progress(each, { itemsDone: 3, outputBytes: 8, output: [1, 2, 3] })], outputs: { t: {} } }), graph, testEnv());
    expect(effectsOf(plan)).toEqual([{ type: 'settle-step', from: 'running', stepId: each.id, status: 'succeeded', output: [1, 2, 3], error: null, handle: null }]);
    expect(writeOf(plan).completion).toEqual({ output: [1, 2, 3], error: null });
  });

  it('fails the loop past the value limit when its items\' outputs together are too large', () => {
    const { graph, run, each } = running();
    const plan = decide(snapshot(run, [], { loops: [progress(each, { itemsDone: 3, outputBytes: 10 ** 12 })] }), graph, testEnv());
    expect(effectsOf(plan)).toEqual([expect.objectContaining({ type: 'settle-step', status: 'failed', error: expect.objectContaining({ code: 'budget_exceeded' }) })]);
    expect(writeOf(plan).status).toBe('failed');
  });

  it('fails the loop when an item failed, naming the first failed item, and cancels the other iterations', () => {
    const { graph, run, each } = running();
    const plan = decide(snapshot(run, [], { loops: [progress(each, { itemsFailed: 1, firstFailed: { runId: 'it-1', index: 1, status: 'failed', message: 'boom' } })] }), graph, testEnv());
    expect(effectsOf(plan)).toEqual([
      expect.objectContaining({ type: 'settle-step', stepId: each.id, status: 'failed', error: expect.objectContaining({ code: 'item_failed', message: 'item 1 failed: boom' }) }),
      { type: 'cancel-children', stepIds: [each.id] },
    ]);
    expect(writeOf(plan).completion?.error).toMatchObject({ code: 'item_failed', nodeId: 'each' });
  });
});
