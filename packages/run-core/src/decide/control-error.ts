import { BudgetExceededError } from '@weft/engine';
import type { StepError } from '@weft/workflow-schema';

/** A control node (delay, approval, sub_workflow, for_each) that cannot start: it fails, not retryable. */
export class ControlError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export function toError(err: unknown): StepError {
  if (err instanceof ControlError) return { code: err.code, message: err.message, retryable: false };
  if (err instanceof BudgetExceededError) return { code: err.code, message: err.message, retryable: false, details: err.details };
  const e = err as { name?: string; message?: string };
  return { code: e?.name === 'ExpressionError' ? 'expression_error' : 'internal', message: e?.message ?? String(err), retryable: false };
}
