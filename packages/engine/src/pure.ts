import { typesOfKind } from '@weft/workflow-schema';
import { isFinished } from './advance';
import { Budget } from './budget/budget';
import { buildContext, runOutput, type RunContext } from './context';
import { evaluate, renderTemplate } from './expressions';
import type { CompiledNode, WorkflowGraph } from './graph';
import { handleOf, isTruthy } from './handles';
import { RunCursor } from './run-cursor';
import type { EngineEvent } from './state';

/** Node types that are pure functions of the run context (kind `inline`): no I/O, no clock, no secrets. */
export const PURE_NODE_TYPES = typesOfKind('inline');

/**
 * Evaluates a pure node within `budget` (the step's). Throws ExpressionError when an expression
 * fails at run time, BudgetExceededError when it exceeds a limit.
 */
export function evaluatePureNode(node: Pick<CompiledNode, 'type' | 'config'>, context: RunContext, budget: Budget = new Budget()): { output: unknown; handle?: string } {
  let output: unknown;
  switch (node.type) {
    case 'trigger':
      output = context.input ?? {};
      break;
    case 'transform': {
      const data = node.config.input !== undefined ? renderTemplate(node.config.input, context, budget) : context;
      output = evaluate(String(node.config.expression), data, budget) ?? null;
      break;
    }
    case 'branch':
      output = { result: isTruthy(evaluate(String(node.config.condition), context, budget)) };
      break;
    default:
      throw new Error(`node type "${node.type}" is not pure`);
  }
  const handle = handleOf(node.type, output);
  return handle === undefined ? { output } : { output, handle };
}

export function isPureGraph(graph: WorkflowGraph): boolean {
  return [...graph.nodes.values()].every((n) => PURE_NODE_TYPES.has(n.type));
}

export type PureRunResult =
  | { status: 'succeeded'; output: unknown }
  | { status: 'failed'; error: { code: string; message: string; nodeId?: string } };

/**
 * Runs a graph made only of pure nodes to completion in memory, through the same `advance` the
 * orchestrator uses (so joins, branches and skips behave identically). Used for for_each bodies:
 * 10,000 items of a pure body cost milliseconds instead of 10,000 durable iteration runs. Every
 * evaluation draws on `budget`: give all the items of one loop the same one, so that the loop as
 * a whole is held to the step's limits.
 */
export function runPureGraph(graph: WorkflowGraph, inputs: unknown, run: { id: string; workflowId: string }, iteration: boolean, budget: Budget = new Budget()): PureRunResult {
  const outputs: Record<string, unknown> = {};
  const cursor = new RunCursor(graph, null);
  const queue: EngineEvent[] = [{ type: 'run.started' }];
  for (let next = 0; next < queue.length; next++) {
    const t = cursor.apply(queue[next]!);
    for (const cmd of t.commands) {
      // A caught failure's output is its error (the command comes before the dispatches it unlocks).
      if (cmd.type === 'failure_caught') outputs[cmd.nodeId] = cmd.error;
      if (cmd.type !== 'dispatch') continue;
      const context = buildContext({ inputs, outputs, run, iteration });
      try {
        const r = evaluatePureNode(graph.node(cmd.nodeId), context, budget);
        outputs[cmd.nodeId] = r.output;
        queue.push({ type: 'step.succeeded', nodeId: cmd.nodeId, attempt: cmd.attempt, ...(r.handle ? { handle: r.handle } : {}) });
      } catch (err) {
        const e = err as { code?: string; message?: string };
        queue.push({ type: 'step.failed', nodeId: cmd.nodeId, attempt: cmd.attempt, random: 0, error: { code: e.code ?? 'expression_error', message: e.message ?? String(err), retryable: false } });
      }
    }
  }
  const state = cursor.state;
  if (!state || !isFinished(state)) return { status: 'failed', error: { code: 'internal', message: 'the body did not finish' } };
  if (state.status !== 'succeeded') return { status: 'failed', error: state.error ?? { code: 'failed', message: 'the body failed' } };
  return { status: 'succeeded', output: runOutput(graph, state, buildContext({ inputs, outputs, run, iteration }), true, budget) };
}
