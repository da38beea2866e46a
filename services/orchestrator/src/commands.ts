import { Budget, BudgetExceededError, ExpressionError, checkValue, renderTemplate, runOutput, type Command, type RunState } from '@weft/engine';
import { rows } from '@weft/run-store';
import { recordCaughtFailures } from './caught-failures';
import { dispatchSteps } from './dispatch';
import { startErrorWorkflow } from './error-workflow';
import { insertSteps } from './step-rows';
import { cancelChildren, notifyParent } from './sub-workflow';
import type { Transition } from './transition-context';
import { NeedsLock } from './transition-write';
import { kindHas } from '@weft/workflow-schema';

/** Carries out the engine's commands inside the transition's transaction, in a safe order. */
export async function applyCommands(t: Transition, state: RunState, commands: Command[]): Promise<void> {
  await recordCaughtFailures(t, commands); // before the dispatches that read the caught errors
  const dispatches = commands.flatMap((c) => (c.type === 'dispatch' ? [c] : []));
  await dispatchSteps(t, dispatches);
  // Skipped rows in one statement (a branch not taken can skip thousands of nodes).
  const skips = commands.flatMap((c) => (c.type === 'skip' ? [c] : []));
  const skipIds = insertSteps(t, skips.map((c) => ({ nodeId: c.nodeId, nodeType: t.graph.node(c.nodeId).type, attempt: state.nodes[c.nodeId]?.attempt ?? 0, status: 'skipped', applied: true })));
  let skipped = 0;
  for (const cmd of commands) {
    switch (cmd.type) {
      case 'dispatch':
      case 'failure_caught':
        break;
      case 'skip':
        t.log.push('step.skipped', {}, cmd.nodeId, skipIds[skipped++]!);
        break;
      case 'terminate': {
        const node = t.graph.node(cmd.nodeId);
        const message = node.config.message === undefined ? null : await terminateMessage(t, node.config.message);
        const output = { status: node.config.status, message };
        const [id] = insertSteps(t, [{ nodeId: cmd.nodeId, nodeType: node.type, attempt: cmd.attempt, status: 'succeeded', applied: true, output }]);
        t.addOutputs([{ nodeId: cmd.nodeId, output }]);
        t.log.push('run.terminated', { status: node.config.status, message }, cmd.nodeId, id!);
        break;
      }
      case 'cancel_steps':
        await cancelSteps(t, cmd.nodeIds);
        break;
      case 'reopen':
        await t.c.query('UPDATE runs SET finished_at = NULL, output = NULL, error = NULL WHERE id = $1', [t.run.id]);
        t.completion = undefined;
        t.log.push('run.reopened', {});
        break;
      case 'complete':
        await complete(t, state, cmd);
        break;
    }
  }
}

async function cancelSteps(t: Transition, nodeIds: string[]) {
  await t.flushSteps();
  const cancelled = await rows<{ id: string; node_type: string }>(
    t.c,
    `UPDATE run_steps SET status = 'cancelled', finished_at = clock_timestamp(), applied = true, lease_expires_at = NULL
     WHERE run_id = $1 AND node_id = ANY($2::text[]) AND status IN ('pending', 'queued', 'running', 'waiting')
     RETURNING id, node_type`,
    [t.run.id, nodeIds],
  );
  t.abortStepIds.push(...cancelled.map((s) => s.id));
  await cancelChildren(t, cancelled.filter((s) => kindHas(s.node_type, 'startsRuns')).map((s) => s.id));
  t.log.push('steps.cancelled', { nodeIds });
}

/**
 * A terminate node's message, rendered within a budget of its own. A message that cannot be
 * rendered (an expression error, a budget exceeded) says so instead of failing the transition:
 * the run is ending anyway, and a transition that always throws would be retried forever.
 */
async function terminateMessage(t: Transition, template: unknown): Promise<unknown> {
  try {
    const message = renderTemplate(template, await t.context(), new Budget(t.limits.evaluation));
    // Stored three times (step output, event, run completion): held to the value limits like every stored value.
    checkValue(message, t.limits.evaluation, 'the message of the terminate node');
    return message;
  } catch (err) {
    if (err instanceof ExpressionError || err instanceof BudgetExceededError) return `(the message could not be rendered: ${err.message})`;
    throw err;
  }
}

async function complete(t: Transition, state: RunState, cmd: Extract<Command, { type: 'complete' }>) {
  let output: unknown = null;
  let error: unknown = cmd.error ?? null;
  if (cmd.status === 'succeeded') {
    // The transition knows every output (tracked as steps settle, or read once): no second read.
    try {
      output = runOutput(t.graph, state, await t.context(), t.run.kind === 'iteration', new Budget(t.limits.evaluation));
      checkValue(output, t.limits.evaluation, 'the run output');
    } catch (err) {
      if (err instanceof NeedsLock) throw err;
      output = null;
      error = err instanceof BudgetExceededError
        ? { code: err.code, message: err.expression === undefined ? err.message : `settings.output: ${err.message}`, details: err.details }
        : { code: 'output_failed', message: `settings.output failed: ${(err as Error).message}` };
    }
  } else if (cmd.error?.code === 'terminated' && cmd.error.message) {
    error = { ...cmd.error, message: String((await terminateMessage(t, cmd.error.message)) ?? '') };
  }
  // Written with the transition's state (one statement for the run row).
  t.completion = { output: output ?? null, error };
  t.log.push(`run.${cmd.status}`, error ? { error } : {});
  await notifyParent(t, cmd.status, output, error);
  if (cmd.status === 'failed') await startErrorWorkflow(t, error);
}
