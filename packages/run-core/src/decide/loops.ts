import { LIMIT_SETTINGS, evaluate, isPureGraph, runPureGraph, serializeWithin, type Budget, type CompiledNode, type WorkflowGraph } from '@weft/engine';
import { configOf } from '@weft/workflow-schema';
import { ControlError } from './control-error';
import type { Decision, Input } from './decision';
import { overLimit } from './limits';
import { addSteps, settleNewStep } from './step-rows';
import type { Base, RunningLoop } from './types';

/**
 * for_each: the items are evaluated within the step's budget and the loop is held to the run
 * shape limits before anything starts (loop nesting, items per node, and iterations per run,
 * nested loops counted once per item of the loops around them); then a pure body runs in place,
 * any other body as one iteration run per item (whose inputs, the items, are held to the value limits).
 */
export function startForEach(d: Decision, base: Base, node: CompiledNode, budget: Budget): void {
  const { limits, run } = d;
  const depth = (run.body_path ? run.body_path.split('/').length : 0) + 1;
  if (depth > limits.maxLoopDepth) throw overLimit('maxLoopDepth', limits, depth, `for_each "${node.id}" would nest loops ${depth} levels deep`);
  const config = configOf(node, 'for_each');
  const ctx = d.context();
  if (!ctx) return;
  const items = evaluate(config.items, ctx, budget);
  if (!Array.isArray(items)) throw new ControlError('invalid_items', `items must evaluate to an array, got ${items === null ? 'null' : typeof items}`);
  if (items.length > limits.maxForEachItems) {
    throw overLimit('maxForEachItems', limits, items.length, `the items of for_each "${node.id}" are ${items.length.toLocaleString('en-US')}`);
  }
  const body = node.body;
  if (!body) throw new Error(`for_each "${node.id}" has no compiled body`);
  const inPlace = d.env.inlinePureSteps && isPureGraph(body);
  // Iterations this loop brings the run to, as many times over as the loops around the run have items.
  const around = run.parent_step_id ? d.read('enclosingIterations') : 1;
  // A run that had not started has started no loop before this decision.
  const startedBefore = inPlace || items.length === 0 || d.isNew ? 0 : d.read('iterationsStarted');
  if (around === undefined || startedBefore === undefined) return;
  const earlier = startedBefore + (inPlace ? 0 : d.plannedIterations);
  const total = around * (earlier + items.length);
  if (total > limits.maxIterationsPerRun) {
    const why = [around > 1 ? `× ${around.toLocaleString('en-US')} iterations of the loops around this run` : '', earlier > 0 ? `+ ${earlier.toLocaleString('en-US')} started before` : ''].filter(Boolean).join(' ');
    throw overLimit('maxIterationsPerRun', limits, total, `for_each "${node.id}" would bring the run to ${total.toLocaleString('en-US')} iterations (${items.length.toLocaleString('en-US')} items${why ? ` ${why}` : ''})`);
  }
  if (inPlace) return runPureLoop(d, base, items, body, budget);
  if (items.length === 0) {
    settleNewStep(d, { ...base, status: 'succeeded', output: [], input: { count: 0, concurrency: config.concurrency } }, []);
    return;
  }
  // Stored: one iteration run's inputs per item.
  const itemsJson = serializeWithin(items, limits.evaluation, `the items of for_each "${node.id}"`);
  const [step] = addSteps(d, [{ ...base, status: 'running', itemsTotal: items.length, input: { count: items.length, concurrency: config.concurrency } }]);
  const bodyPath = run.body_path ? `${run.body_path}/${base.nodeId}` : base.nodeId;
  d.plannedIterations += items.length;
  d.effects.push({ type: 'insert-iterations', stepId: step!.id, bodyPath, itemsJson }, { type: 'start-iterations', stepId: step!.id, concurrency: config.concurrency });
  d.log('loop.started', { attempt: base.attempt, count: items.length, concurrency: config.concurrency }, base.nodeId, step!.id);
}

/**
 * A for_each whose body is made only of pure nodes runs every item in place, through the same
 * engine, in item order: no iteration runs, no queue hops. All the items draw on the step's one
 * budget, and their outputs together are held to the value limits. The first failing item fails the node.
 */
function runPureLoop(d: Decision, base: Base, items: unknown[], body: WorkflowGraph, budget: Budget): void {
  const results: unknown[] = new Array(items.length);
  const run = { id: d.run.id, workflowId: d.run.workflow_id };
  const input = { count: items.length, inPlace: true };
  for (let index = 0; index < items.length; index++) {
    const r = runPureGraph(body, { item: items[index], index }, run, true, budget);
    if (r.status === 'failed') {
      // A budget error stays one: it is the loop's budget that ran out, whichever item hit it.
      const code = r.error.code === 'budget_exceeded' ? 'budget_exceeded' : 'item_failed';
      const error = { code, message: `item ${index} failed: ${r.error.message}`, retryable: false, details: { index, nodeId: r.error.nodeId } };
      settleNewStep(d, { ...base, status: 'failed', error, input });
      return;
    }
    results[index] = r.output ?? null;
  }
  const outputJson = serializeWithin(results, d.limits.evaluation, `the output of for_each "${base.nodeId}"`);
  const step = settleNewStep(d, { ...base, status: 'succeeded', outputJson, itemsTotal: items.length, input }, results);
  d.log('loop.completed', { attempt: base.attempt, count: items.length, inPlace: true }, base.nodeId, step.id);
}

/**
 * Moves every running for_each of the run on (from the loops read under the lock): an item failed
 * → the step fails and the other items are cancelled; all done → the step succeeds with their
 * outputs in item order (or fails past the value limit); else → more pending items start. The
 * steps that end are given to the engine in this decision.
 */
export function progressLoops(d: Decision, loops: readonly RunningLoop[]): Input[] {
  const inputs: Input[] = [];
  for (const loop of loops) {
    const base = { nodeId: loop.nodeId, attempt: loop.attempt };
    if (loop.itemsFailed > 0) {
      const f = loop.firstFailed;
      const index = f?.index ?? -1;
      const error = { code: 'item_failed', message: `item ${index} ${f?.status ?? 'failed'}: ${f?.message ?? 'unknown error'}`, retryable: false, details: { index, runId: f?.runId } };
      d.effects.push({ type: 'settle-step', from: 'running', stepId: loop.stepId, status: 'failed', output: null, error, handle: null }, { type: 'cancel-children', stepIds: [loop.stepId] });
      inputs.push({ stepId: loop.stepId, event: { type: 'step.failed', ...base, error, random: d.env.random() } });
    } else if (loop.itemsDone >= loop.itemsTotal) {
      inputs.push(settleLoop(d, loop, base));
    } else {
      d.effects.push({ type: 'start-iterations', stepId: loop.stepId, concurrency: configOf(d.graph.node(loop.nodeId), 'for_each').concurrency });
    }
  }
  return inputs;
}

/** A loop whose items all succeeded takes their outputs as its output, unless they are together past the value limit. */
function settleLoop(d: Decision, loop: RunningLoop, base: { nodeId: string; attempt: number }): Input {
  const { maxValueBytes } = d.limits.evaluation;
  const bytes = loop.outputBytes ?? 0;
  if (bytes > maxValueBytes || !loop.output) {
    const what = `the output of for_each "${loop.nodeId}" (its ${loop.itemsTotal.toLocaleString('en-US')} items' outputs)`;
    const error = {
      code: 'budget_exceeded',
      message: `${what} is ${bytes.toLocaleString('en-US')} bytes as JSON; the limit is ${maxValueBytes.toLocaleString('en-US')} (${LIMIT_SETTINGS.maxValueBytes})`,
      retryable: false,
      details: { limit: LIMIT_SETTINGS.maxValueBytes, max: maxValueBytes, actual: bytes },
    };
    d.effects.push({ type: 'settle-step', from: 'running', stepId: loop.stepId, status: 'failed', output: null, error, handle: null });
    return { stepId: loop.stepId, event: { type: 'step.failed', ...base, error, random: d.env.random() } };
  }
  d.effects.push({ type: 'settle-step', from: 'running', stepId: loop.stepId, status: 'succeeded', output: loop.output, error: null, handle: null });
  d.addOutputs([{ nodeId: loop.nodeId, output: loop.output }]);
  return { stepId: loop.stepId, event: { type: 'step.succeeded', ...base } };
}
