import { count, exceeded } from './errors';
import { LIMIT_SETTINGS, type Limits } from './limits';

/** Where a walk stopped: the serialized size so far (a lower bound), and the nodes it visited. */
export interface JsonWalk {
  size: number;
  nodes: number;
}

/**
 * A lower bound of the length of `JSON.stringify(value)` (UTF-8 bytes are never fewer), walking
 * iteratively: stops as soon as the bound passes `stopAbove` or a container nests deeper than
 * `maxDepth` (then `tooDeep` is that depth). The bound matters before serializing a value built
 * from shared references (an array of 200,000 references to one 10 MB object serializes to 2 TB
 * while occupying 1.6 MB), and the depth before anything recursive (JSON.stringify, Postgres)
 * meets a value nested 100,000 levels deep.
 */
export function jsonLowerBound(value: unknown, stopAbove: number, maxDepth: number): JsonWalk & { tooDeep?: number } {
  let size = 0;
  let nodes = 0;
  const values: unknown[] = [value];
  const depths: number[] = [0];
  while (values.length > 0) {
    const v = values.pop();
    const depth = depths.pop()!;
    nodes++;
    if (v === null || v === undefined) size += 4;
    else if (typeof v === 'string') size += v.length + 2;
    else if (typeof v === 'number') size += numberLength(v);
    else if (typeof v === 'boolean') size += 4;
    else if (typeof v === 'object') {
      if (depth + 1 > maxDepth) return { size, nodes, tooDeep: depth + 1 };
      if (Array.isArray(v)) {
        size += 1 + Math.max(v.length, 1);
        for (let i = v.length - 1; i >= 0; i--) {
          values.push(v[i]);
          depths.push(depth + 1);
        }
      } else {
        const keys = Object.keys(v);
        size += 1 + Math.max(keys.length, 1);
        for (const k of keys) {
          size += k.length + 3;
          values.push((v as Record<string, unknown>)[k]);
          depths.push(depth + 1);
        }
      }
    }
    if (size > stopAbove) break;
  }
  return { size, nodes };
}

/** Length of a number as JSON (exact for integers up to 1e15, which need no allocation). */
function numberLength(n: number): number {
  if (!Number.isInteger(n) || n >= 1e15 || n <= -1e15) return String(n).length;
  let digits = n < 0 ? 2 : 1;
  for (let a = Math.abs(n); a >= 10; a = Math.floor(a / 10)) digits++;
  return digits;
}

/** UTF-8 length of a string, counted without encoding it. */
export function utf8Length(text: string): number {
  let bytes = text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) bytes += 1;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 2; // a surrogate pair: 2 units, 4 bytes
      i++;
    } else bytes += 2;
  }
  return bytes;
}

/**
 * Checks that `value` can be stored: nested at most `maxValueDepth` levels, at most
 * `maxValueBytes` as JSON. `what` names it in the error ("the output of node \"fetch\"").
 * Throws BudgetExceededError; cheap for small values, and never serializes a huge one.
 */
export function checkValue(value: unknown, limits: Pick<Limits, 'maxValueBytes' | 'maxValueDepth'>, what: string): void {
  const walk = jsonLowerBound(value, limits.maxValueBytes, limits.maxValueDepth);
  if (walk.tooDeep !== undefined) {
    throw exceeded(LIMIT_SETTINGS.maxValueDepth, limits.maxValueDepth, walk.tooDeep, `${what} nests arrays and objects more than ${count(limits.maxValueDepth)} levels deep`);
  }
  if (walk.size > limits.maxValueBytes) throw tooBig(limits.maxValueBytes, walk.size, what, 'at least ');
}

/**
 * `value` as JSON text, if it can be stored (see checkValue); throws BudgetExceededError
 * otherwise. The text is what callers write, so checking costs one walk over the value.
 */
export function serializeWithin(value: unknown, limits: Pick<Limits, 'maxValueBytes' | 'maxValueDepth'>, what: string): string {
  checkValue(value, limits, what);
  const text = JSON.stringify(value) ?? 'null';
  // A UTF-16 unit is at most 3 UTF-8 bytes: most texts need no count.
  if (text.length * 3 > limits.maxValueBytes) {
    const bytes = utf8Length(text);
    if (bytes > limits.maxValueBytes) throw tooBig(limits.maxValueBytes, bytes, what, '');
  }
  return text;
}

function tooBig(max: number, bytes: number, what: string, atLeast: string) {
  return exceeded(LIMIT_SETTINGS.maxValueBytes, max, bytes, `${what} is ${atLeast}${count(bytes)} bytes as JSON`);
}
