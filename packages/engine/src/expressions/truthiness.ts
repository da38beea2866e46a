import type { Budget } from '../budget/budget';

/** Whether objects are empty, per budget (one step): listing the keys of an object costs as many steps as it has keys, once. */
const emptiness = new WeakMap<Budget, WeakMap<object, boolean>>();

/**
 * JMESPath truthiness (false, null, "", [], {} are false), as the library decides it. The library
 * lists every key of an object to see that it is not empty; here that is charged to the budget
 * and remembered for the step, so that a filter over 200,000 references to one object of a
 * million keys lists them once instead of 200,000 times.
 */
export function isFalse(value: unknown, budget: Budget): boolean {
  if (value === null || value === undefined || value === false) return true;
  if (typeof value === 'string') return value === '';
  if (typeof value === 'object') {
    if (Array.isArray(value)) return value.length === 0;
    let known = emptiness.get(budget);
    if (!known) emptiness.set(budget, (known = new WeakMap()));
    let empty = known.get(value);
    if (empty === undefined) {
      const keys = Object.keys(value).length;
      budget.work(keys, 'a truth test');
      known.set(value, (empty = keys === 0));
    }
    return empty;
  }
  return false;
}
