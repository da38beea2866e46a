import { Budget, BudgetExceededError, ExpressionError, checkValue, renderTemplate, runOutput, type Command, type RunContext, type RunState } from '@weft/engine';
import { configOf, kindHas } from '@weft/workflow-schema';
import { notifyParent } from './children';
import { recordCaughtFailures, startErrorWorkflow } from './error-paths';
import type { Decision } from './decision';
import { dispatchSteps } from './dispatch';
import { addSteps } from './step-rows';

/** Carries out the engine's commands of one event (of step `stepId`, if a step's), in a safe order. */
export function applyCommands(d: Decision, state: RunState, commands: readonly Command[], stepId: string | null): void {
  recordCaughtFailures(d, commands, stepId); // before the dispatches that read the caught errors
  dispatchSteps(d, commands.flatMap((c) => (c.type === 'dispatch' ? [c] : [])));
  // Skipped rows in one go (a branch not taken can skip thousands of nodes).
  const skips = commands.flatMap((c) => (c.type === 'skip' ? [c] : []));
  const skipped = addSteps(d, skips.map((c) => ({ nodeId: c.nodeId, nodeType: d.graph.node(c.nodeId).type, attempt: state.nodes[c.nodeId]?.attempt ?? 0, status: 'skipped', applied: true })));
  let s = 0;
  for (const cmd of commands) {
    switch (cmd.type) {
      case 'dispatch':
      case 'failure_caught':
        break;
      case 'skip':
        d.log('step.skipped', {}, cmd.nodeId, skipped[s++]!.id);
        break;
      case 'terminate': {
        const node = d.graph.node(cmd.nodeId);
        const config = configOf(node, 'terminate');
        const message = config.message === undefined ? null : terminateMessage(d, config.message);
        if (message === undefined) return;
        const output = { status: config.status, message };
        const [row] = addSteps(d, [{ nodeId: cmd.nodeId, nodeType: node.type, attempt: cmd.attempt, status: 'succeeded', applied: true, output }]);
        d.addOutputs([{ nodeId: cmd.nodeId, output }]);
        d.log('run.terminated', { status: config.status, message }, cmd.nodeId, row!.id);
        break;
      }
      case 'cancel_steps':
        cancelSteps(d, cmd.nodeIds);
        break;
      case 'reopen':
        d.effects.push({ type: 'reopen' });
        d.completion = undefined;
        d.log('run.reopened', {});
        break;
      case 'complete':
        complete(d, state, cmd);
        break;
    }
  }
}

/**
 * The engine cancelled the active steps of these nodes: rows of this decision are cancelled here
 * (their child runs too, inserted by its effects), rows in the table by an effect.
 */
function cancelSteps(d: Decision, nodeIds: string[]): void {
  const nodes = new Set(nodeIds);
  const startedRuns: string[] = [];
  for (const row of d.steps) {
    if (!nodes.has(row.nodeId) || !ACTIVE.has(row.status)) continue;
    row.status = 'cancelled';
    row.finishedAt = new Date(d.env.now);
    row.applied = true;
    if (kindHas(row.nodeType, 'startsRuns')) startedRuns.push(row.id);
  }
  d.effects.push({ type: 'cancel-steps', nodeIds });
  if (startedRuns.length) d.effects.push({ type: 'cancel-children', stepIds: startedRuns });
  d.log('steps.cancelled', { nodeIds });
}

const ACTIVE = new Set(['pending', 'queued', 'running', 'waiting']);

/**
 * A terminate node's message, rendered within a budget of its own (undefined: the outputs are
 * needed first). A message that cannot be rendered (an expression error, a budget exceeded)
 * says so instead of failing the transition: the run is ending anyway, and a transition that
 * always throws would be retried forever.
 */
function terminateMessage(d: Decision, template: unknown): unknown {
  const ctx = d.context();
  if (!ctx) return undefined;
  try {
    const message = renderTemplate(template, ctx, new Budget(d.limits.evaluation));
    // Stored three times (step output, event, run completion): held to the value limits like every stored value.
    checkValue(message, d.limits.evaluation, 'the message of the terminate node');
    return message ?? null;
  } catch (err) {
    if (err instanceof ExpressionError || err instanceof BudgetExceededError) return `(the message could not be rendered: ${err.message})`;
    throw err;
  }
}

function complete(d: Decision, state: RunState, cmd: Extract<Command, { type: 'complete' }>): void {
  let output: unknown = null;
  let error: unknown = cmd.error ?? null;
  if (cmd.status === 'succeeded') {
    // The decision knows every output (loaded, plus what settled in it): no second read.
    const ctx = d.context();
    if (!ctx) return;
    ({ output, error } = runOutputOf(d, state, ctx, error));
  } else if (cmd.error?.code === 'terminated' && cmd.error.message) {
    const message = terminateMessage(d, cmd.error.message);
    if (message === undefined) return;
    error = { ...cmd.error, message: String(message ?? '') };
  }
  // Written with the decision's state (one statement for the run row).
  d.completion = { output: output ?? null, error };
  d.log(`run.${cmd.status}`, error ? { error } : {});
  notifyParent(d, cmd.status, output, error);
  if (cmd.status === 'failed') startErrorWorkflow(d, error);
}

/** The run's output (settings.output or its sinks) within a budget of its own; a failure to compute it becomes the run's error. */
function runOutputOf(d: Decision, state: RunState, ctx: RunContext, error: unknown): { output: unknown; error: unknown } {
  try {
    const output = runOutput(d.graph, state, ctx, d.run.kind === 'iteration', new Budget(d.limits.evaluation));
    checkValue(output, d.limits.evaluation, 'the run output');
    return { output, error };
  } catch (err) {
    const e = err instanceof BudgetExceededError
      ? { code: err.code, message: err.expression === undefined ? err.message : `settings.output: ${err.message}`, details: err.details }
      : { code: 'output_failed', message: `settings.output failed: ${(err as Error).message}` };
    return { output: null, error: e };
  }
}
