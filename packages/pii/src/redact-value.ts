import { redactText, type FindOptions } from './find';

/**
 * A copy of a JSON value with every string redacted (object keys too: a map keyed by email
 * addresses; a key that redacts to one already there gets a ` #2`, ` #3`… suffix), and every
 * integer that is PII as digits (a card number stored as a number) replaced by its marked string.
 * Iterative: a deeply nested value cannot exhaust the stack. Values that are not JSON are kept.
 */
export function redactValue<T>(value: T, o: FindOptions = {}): T {
  const root: { v: unknown } = { v: value };
  const stack: { from: unknown; put: (v: unknown) => void }[] = [{ from: value, put: (v) => (root.v = v) }];
  while (stack.length) {
    const { from, put } = stack.pop()!;
    if (typeof from === 'string') put(redactText(from, o));
    else if (typeof from === 'number') put(Number.isInteger(from) && Math.abs(from) >= 1e8 ? redactNumber(from, o) : from);
    else if (Array.isArray(from)) {
      const copy: unknown[] = new Array<unknown>(from.length);
      put(copy);
      from.forEach((item, i) => stack.push({ from: item, put: (v) => (copy[i] = v) }));
    } else if (from && typeof from === 'object' && Object.getPrototypeOf(from) === Object.prototype) {
      const copy: Record<string, unknown> = {};
      put(copy);
      for (const [k, item] of Object.entries(from)) {
        let key = redactText(k, o);
        for (let n = 2; key !== k && Object.hasOwn(copy, key); n++) key = `${redactText(k, o)} #${n}`;
        copy[key] = undefined;
        stack.push({ from: item, put: (v) => (copy[key] = v) });
      }
    } else put(from);
  }
  return root.v as T;
}

function redactNumber(n: number, o: FindOptions): number | string {
  const text = String(n);
  const redacted = redactText(text, o);
  return redacted === text ? n : redacted;
}
