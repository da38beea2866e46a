import { BudgetExceededError } from '@weft/engine';
import type { StepError } from '@weft/workflow-schema';

/** A step failure with its class: retryable failures are retried by the node's policy. */
export class StepFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly retryable: boolean,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }

  toJSON(): StepError {
    return { code: this.code, message: this.message, retryable: this.retryable, ...(this.details ? { details: this.details } : {}) };
  }
}

/** Bad config or input: retrying cannot help. */
export const invalidInput = (message: string, details?: Record<string, unknown>) =>
  new StepFailure('invalid_input', message, false, details);

/** Normalises anything thrown by a processor into a StepError. */
export function toStepError(err: unknown): StepError {
  if (err instanceof StepFailure) return err.toJSON();
  if (err instanceof BudgetExceededError) return { code: err.code, message: err.message, retryable: false, details: err.details };
  const e = err as { name?: string; code?: string; message?: string };
  if (e?.name === 'ExpressionError') return { code: 'expression_error', message: e.message ?? 'expression failed', retryable: false };
  if (e?.name === 'TimeoutError') return { code: 'timeout', message: 'the step timed out', retryable: true };
  if (e?.name === 'AbortError') return { code: 'aborted', message: 'the step was aborted', retryable: false };
  return { code: 'internal', message: e?.message ?? String(err), retryable: false };
}
