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
}

export function buildContext(args: {
  inputs: unknown;
  outputs: Record<string, unknown>;
  run: { id: string; workflowId: string };
}): RunContext {
  const steps: Record<string, { output: unknown }> = {};
  for (const [id, output] of Object.entries(args.outputs)) steps[id] = { output };
  return { input: args.inputs, steps, run: args.run };
}

/** The run's output: `settings.output` over the context, else every succeeded sink's output by id. */
export function runOutput(graph: WorkflowGraph, state: RunState, context: RunContext): unknown {
  const expr = graph.settings.output;
  if (expr) return evaluate(expr, context) ?? null;
  const out: Record<string, unknown> = {};
  for (const id of graph.sinks()) {
    if (state.nodes[id]?.status === 'succeeded') out[id] = context.steps[id]?.output ?? null;
  }
  return out;
}
