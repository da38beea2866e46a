import type { Budget } from '../budget/budget';

const isPlainObject = (v: unknown): v is Record<string, unknown> => v !== null && Object.prototype.toString.call(v) === '[object Object]';

/**
 * `==` as the library decides it (its strictDeepEqual), walked with an explicit stack and
 * charged one step per pair of values compared: comparing two values built from shared
 * references (200,000 × a 200,000-element array) is cut by the step budget, and literals
 * nested thousands of levels deep cannot exhaust the call stack.
 */
export function deepEqual(first: unknown, second: unknown, budget: Budget): boolean {
  const pending: unknown[] = [first, second];
  while (pending.length > 0) {
    const b = pending.pop();
    const a = pending.pop();
    budget.work(1, 'a comparison (==)');
    if (a === b) continue;
    if (typeof a !== typeof b) return false;
    if (Array.isArray(a) && Array.isArray(b)) {
      if (a.length !== b.length) return false;
      for (let i = 0; i < a.length; i++) pending.push(a[i], b[i]);
      continue;
    }
    if (isPlainObject(a) && isPlainObject(b)) {
      const keys = Object.keys(a);
      if (keys.length !== Object.keys(b).length) return false;
      for (const key of keys) {
        // The library reads `second[key]`: a key that b lacks compares a's value with undefined (or an inherited member): unequal.
        if (!Object.hasOwn(b, key)) return false;
        pending.push(a[key], b[key]);
      }
      continue;
    }
    return false;
  }
  return true;
}
