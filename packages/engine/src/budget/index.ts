export { Budget, SLOT_BYTES } from './budget';
export { BudgetExceededError } from './errors';
export { DEFAULT_LIMITS, LIMIT_SETTINGS, MAX_EXPRESSION_NESTING } from './limits';
export type { Limits } from './limits';
export { checkValue, serializeWithin } from './value-size';
