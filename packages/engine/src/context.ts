import type { Budget } from './budget/budget';
import { evaluate } from './expressions';
import type { WorkflowGraph } from './graph';
import type { RunState } from './state';

/** The run context every expression and template is evaluated against (contract.md). */
export interface RunContext {
  input: unknown;
  steps: Record<string, { output: unknown }>;
  run: { id: string; workflowId: string };
  item?: unknown;
  index?: number;
  /**
   * Only inside an executor step, only the secrets its templates name, decrypted for that step
   * alone (never stored, masked in what the step keeps). Read only by a bare
   * `{{ secrets.NAME }}` template: renderTemplate hides it from every other expression.
   */
  secrets?: Record<string, string>;
}

export function buildContext(args: {
  inputs: unknown;
  outputs: Record<string, unknown>;
  run: { id: string; workflowId: string };
  /** Inside a for_each body the inputs are `{ item, index }`, also reachable as `item`/`index`. */
  iteration?: boolean;
}): RunContext {
  const steps: Record<string, { output: unknown }> = {};
  for (const [id, output] of Object.entries(args.outputs)) steps[id] = { output };
  const ctx: RunContext = { input: args.inputs, steps, run: args.run };
  if (args.iteration) {
    const { item, index } = (args.inputs ?? {}) as { item?: unknown; index?: number };
    ctx.item = item ?? null;
    ctx.index = index ?? 0;
  }
  return ctx;
}

/**
 * The run's output: `settings.output` over the context, else every succeeded (or caught) sink's output by
 * id. A for_each body (`unwrapSingleSink`) whose run has exactly one succeeded sink yields that
 * sink's output itself, so `[for each item] → transform` gives an array of the transform results.
 */
export function runOutput(graph: WorkflowGraph, state: RunState, context: RunContext, unwrapSingleSink = false, budget?: Budget): unknown {
  const expr = graph.settings.output;
  if (expr) return evaluate(expr, context, budget) ?? null;
  const out: Record<string, unknown> = {};
  for (const id of graph.sinks()) {
    const node = state.nodes[id];
    if (node?.status === 'succeeded' || node?.caught) out[id] = context.steps[id]?.output ?? null;
  }
  const keys = Object.keys(out);
  return unwrapSingleSink && keys.length === 1 ? out[keys[0]!] : out;
}
