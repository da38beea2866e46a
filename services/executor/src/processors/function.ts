import type { RegisteredFunction } from '@weft/functions';
import { renderTemplate } from '@weft/engine';
import { StepFailure, invalidInput } from '../errors';
import type { NodeProcessor } from './types';

/**
 * function: calls a registered server-side function. Arguments are rendered, then validated by
 * the function's Zod schema before the call; a bad argument fails the step (not retryable) and
 * names the argument. Errors the function throws fail the step as retryable unless they are
 * StepFailures that say otherwise.
 */
export function callFunction(functions: ReadonlyMap<string, RegisteredFunction>): NodeProcessor<'function'> {
  return async ({ config, context, budget, signal, ids, progress, stepLog }) => {
    const { name } = config;
    const fn = functions.get(name);
    if (!fn) throw new StepFailure('unknown_function', `no registered function "${name}" (registered: ${[...functions.keys()].join(', ') || 'none'})`, false);
    const parsed = fn.args.safeParse(renderTemplate(config.args ?? {}, context, budget));
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => ({ path: ['args', ...i.path].join('.'), message: i.message }));
      throw invalidInput(`invalid arguments for "${name}": ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, { issues });
    }
    try {
      return (await fn.handler(parsed.data, {
        run: { id: context.run.id, workflowId: context.run.workflowId, input: context.input, steps: context.steps },
        orgId: ids.orgId,
        userId: ids.userId,
        signal,
        progress: (data) => progress?.(data),
        log: (msg, data, level = 'info') => stepLog?.(level, String(msg), data),
      })) ?? null;
    } catch (err) {
      if (err instanceof StepFailure || signal.aborted) throw err;
      throw new StepFailure('function_error', `function "${name}" failed: ${(err as Error).message ?? String(err)}`, true);
    }
  };
}
