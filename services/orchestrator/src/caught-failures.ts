import type { Command } from '@weft/engine';
import { recordCaughtFailure } from '@weft/run-store';
import type { Transition } from './transition-context';

/**
 * The engine caught step failures (an `error` edge or continueOnFail): each error becomes its
 * node's output, in the step row (what the executor and the next transitions read) and in the
 * outputs this transition knows, before the steps downstream are dispatched.
 */
export async function recordCaughtFailures(t: Transition, commands: readonly Command[]): Promise<void> {
  for (const cmd of commands) {
    if (cmd.type !== 'failure_caught') continue;
    await t.flushSteps(); // the failed row may still be staged (a step that could not start)
    const stepId = await recordCaughtFailure(t.c, { runId: t.run.id, nodeId: cmd.nodeId, attempt: cmd.attempt, error: cmd.error });
    t.addOutputs([{ nodeId: cmd.nodeId, output: cmd.error }]);
    t.log.push('step.caught', { attempt: cmd.attempt, route: cmd.route, code: cmd.error.code }, cmd.nodeId, stepId ?? null);
  }
}
