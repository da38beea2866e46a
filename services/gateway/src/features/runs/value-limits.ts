import { BudgetExceededError, DEFAULT_LIMITS, checkValue, serializeWithin, type Limits } from '@weft/engine';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../../errors';
import type { Resources } from '../../resources';

/**
 * `value` as the JSON text to store, if it is within the value limits; otherwise a 400
 * `budget_exceeded` naming the field (`body.inputs`), the limit and its setting. Checked before
 * anything else reads the value: hashing or validating a value nested 100,000 levels deep
 * would recurse that deep.
 */
export function storableJson(res: Resources, value: unknown, path: string, what: string): string {
  return refused(path, () => serializeWithin(value, limitsOf(res), what));
}

/**
 * A preValidation hook checking `body[field]` against the value limits before the route's
 * schema, a recursive validator, walks it (100,000 levels of nesting would exhaust its stack).
 */
export function bodyFieldWithinLimits(res: Resources, field: string, what: string) {
  return async (req: FastifyRequest) => {
    const body = req.body as Record<string, unknown> | null | undefined;
    if (body && typeof body === 'object' && Object.hasOwn(body, field)) refused(`body.${field}`, () => checkValue(body[field], limitsOf(res), what));
  };
}

const limitsOf = (res: Resources): Pick<Limits, 'maxValueBytes' | 'maxValueDepth'> => res.limits ?? DEFAULT_LIMITS;

/** Runs `check`, turning a BudgetExceededError into the API's 400 naming `path`. */
function refused<T>(path: string, check: () => T): T {
  try {
    return check();
  } catch (err) {
    if (!(err instanceof BudgetExceededError)) throw err;
    throw new AppError('budget_exceeded', err.message, [{ path, code: 'budget_exceeded', message: err.message }]);
  }
}
