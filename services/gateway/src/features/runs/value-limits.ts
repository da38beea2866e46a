import { BudgetExceededError, DEFAULT_LIMITS, serializeWithin, type Limits } from '@weft/engine';
import { AppError } from '../../errors';
import type { Resources } from '../../resources';

/**
 * `value` as the JSON text to store, if it is within the value limits; otherwise a 400
 * `budget_exceeded` naming the field (`body.inputs`), the limit and its setting. Checked before
 * anything else reads the value: hashing or validating a value nested 100,000 levels deep
 * would recurse that deep.
 */
export function storableJson(res: Resources, value: unknown, path: string, what: string): string {
  const limits: Pick<Limits, 'maxValueBytes' | 'maxValueDepth'> = res.limits ?? DEFAULT_LIMITS;
  try {
    return serializeWithin(value, limits, what);
  } catch (err) {
    if (!(err instanceof BudgetExceededError)) throw err;
    throw new AppError('budget_exceeded', err.message, [{ path, code: 'budget_exceeded', message: err.message }]);
  }
}
