import { evaluate, isPureGraph, runPureGraph, serializeWithin, type Budget, type CompiledNode, type WorkflowGraph } from '@weft/engine';
import { rows, sqlNameList } from '@weft/run-store';
import { configOf, typesOfKind } from '@weft/workflow-schema';
import { ControlError } from './control-error';
import { overLimit } from './limits';
import { startLoop } from './loops';
import { insertSteps } from './step-rows';
import type { Transition } from './transition-context';

type Base = { nodeId: string; nodeType: string; attempt: number };

/** The loop types (the catalog's `loop` kind), written into the statement below once. */
const LOOP_TYPES = sqlNameList(typesOfKind('loop'));

/**
 * for_each: the items are evaluated within the step's budget and the loop is held to the run
 * shape limits before anything starts (loop nesting, items per node, and iterations per run,
 * nested loops counted once per item of the loops around them); then a pure body runs in place,
 * any other body as one iteration run per item (whose inputs, the items, are held to the value limits).
 */
export async function startForEach(t: Transition, base: Base, node: CompiledNode, budget: Budget): Promise<void> {
  const { limits } = t;
  const depth = (t.run.body_path ? t.run.body_path.split('/').length : 0) + 1;
  if (depth > limits.maxLoopDepth) throw overLimit('maxLoopDepth', limits, depth, `for_each "${node.id}" would nest loops ${depth} levels deep`);
  const config = configOf(node, 'for_each');
  const items = evaluate(config.items, await t.context(), budget);
  if (!Array.isArray(items)) throw new ControlError('invalid_items', `items must evaluate to an array, got ${items === null ? 'null' : typeof items}`);
  if (items.length > limits.maxForEachItems) {
    throw overLimit('maxForEachItems', limits, items.length, `the items of for_each "${node.id}" are ${items.length.toLocaleString('en-US')}`);
  }
  const bodyPath = t.run.body_path ? `${t.run.body_path}/${node.id}` : node.id;
  const body = await t.res.graphs.get(t.run.workflow_version_id, bodyPath, t.c);
  const inPlace = !!t.res.inlinePureSteps && isPureGraph(body);
  // Iterations this loop brings the run to, as many times over as the loops around the run have items.
  const around = await enclosingIterations(t);
  const earlier = inPlace || items.length === 0 ? 0 : await iterationsStarted(t);
  const total = around * (earlier + items.length);
  if (total > limits.maxIterationsPerRun) {
    const why = [around > 1 ? `× ${around.toLocaleString('en-US')} iterations of the loops around this run` : '', earlier > 0 ? `+ ${earlier.toLocaleString('en-US')} started before` : ''].filter(Boolean).join(' ');
    throw overLimit('maxIterationsPerRun', limits, total, `for_each "${node.id}" would bring the run to ${total.toLocaleString('en-US')} iterations (${items.length.toLocaleString('en-US')} items${why ? ` ${why}` : ''})`);
  }
  if (inPlace) {
    runPureLoop(t, base, items, body, budget);
    return;
  }
  // Stored: one iteration run's inputs per item.
  const itemsJson = serializeWithin(items, limits.evaluation, `the items of for_each "${node.id}"`);
  await startLoop(t, base, items.length, itemsJson, config.concurrency);
}

/**
 * How many times over the loops around this run make it run: the product of the item counts of
 * every for_each step above it (through sub_workflow steps too), 1 for a run that no loop started.
 */
async function enclosingIterations(t: Transition): Promise<number> {
  if (!t.run.parent_step_id) return 1;
  const [row] = await rows<{ factor: number | null }>(
    t.c,
    `WITH RECURSIVE up(step_id, factor, d) AS (
       SELECT parent_step_id, 1::float8, 0 FROM runs WHERE id = $1
       UNION ALL
       SELECT r.parent_step_id, up.factor * CASE WHEN s.node_type IN (${LOOP_TYPES}) THEN greatest(s.items_total, 1) ELSE 1 END, up.d + 1
       FROM up JOIN run_steps s ON s.id = up.step_id JOIN runs r ON r.id = s.run_id
       WHERE up.d < 64)
     SELECT max(factor) AS factor FROM up`,
    [t.run.id],
  );
  return row?.factor ?? 1;
}

/** Iteration runs this run's loops started so far (every for_each, every attempt). */
async function iterationsStarted(t: Transition): Promise<number> {
  const [row] = await rows<{ n: number }>(t.c, `SELECT count(*)::int AS n FROM runs WHERE parent_run_id = $1 AND kind = 'iteration'`, [t.run.id]);
  return row?.n ?? 0;
}

/**
 * A for_each whose body is made only of pure nodes runs every item in place, through the same
 * engine, in item order: no iteration runs, no queue hops. All the items draw on the step's one
 * budget, and their outputs together are held to the value limits. The first failing item fails the node.
 */
function runPureLoop(t: Transition, base: Base, items: unknown[], body: WorkflowGraph, budget: Budget): void {
  const results: unknown[] = new Array(items.length);
  const run = { id: t.run.id, workflowId: t.run.workflow_id };
  const input = { count: items.length, inPlace: true };
  for (let index = 0; index < items.length; index++) {
    const r = runPureGraph(body, { item: items[index], index }, run, true, budget);
    if (r.status === 'failed') {
      // A budget error stays one: it is the loop's budget that ran out, whichever item hit it.
      const code = r.error.code === 'budget_exceeded' ? 'budget_exceeded' : 'item_failed';
      const error = { code, message: `item ${index} failed: ${r.error.message}`, retryable: false, details: { index, nodeId: r.error.nodeId } };
      insertSteps(t, [{ ...base, status: 'failed', error, input }]);
      return;
    }
    results[index] = r.output ?? null;
  }
  const outputJson = serializeWithin(results, t.limits.evaluation, `the output of for_each "${base.nodeId}"`);
  const [stepId] = insertSteps(t, [{ ...base, status: 'succeeded', outputJson, itemsTotal: items.length, input }]);
  t.log.push('loop.completed', { attempt: base.attempt, count: items.length, inPlace: true }, base.nodeId, stepId!);
}
