import { BudgetExceededError } from './errors';

/** The BudgetExceededError `fn` throws (tests): any other error is rethrown, none fails. */
export function budgetError(fn: () => unknown): BudgetExceededError {
  try {
    fn();
  } catch (error) {
    if (error instanceof BudgetExceededError) return error;
    throw error;
  }
  throw new Error('expected a BudgetExceededError');
}
