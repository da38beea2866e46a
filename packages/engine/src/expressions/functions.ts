import type { JSONValue } from '@jmespath-community/jmespath';
import type { Budget } from '../budget/budget';
import { count as grouped, exceeded } from '../budget/errors';
import { LIMIT_SETTINGS } from '../budget/limits';
import { stringifyWithin } from '../budget/stringify';
import type { ExpressionNode } from './ast';
import { meter } from './meter';
import { compareCodePoints, eachOccurrence, ensureCount, substitutionLength, trim, trimLeft, trimRight } from './strings';

/*
 * Every function of the library's table, under the step's budget. A function is charged for the
 * work it does (one step per element it handles, one per 16 characters it scans) before it does
 * it, and what it builds is charged as memory. A string or array bigger than any the function
 * read is held to the string and array limits BEFORE it is built: the size is computed from the
 * arguments (pad_left's width, replace's count, join, split, merge, flatten, to_string). What is
 * no bigger than what was read (lower, keys, sort, a trim, map) is only charged: the limits bound
 * what an expression adds, and what it reads is bounded by the value limits already.
 * A function missing here is refused when the interpreter is built: a library upgrade that adds
 * one cannot slip past the budget (the test "every function of the table is budgeted").
 */

type Args = JSONValue[];
type Impl = (args: Args) => JSONValue;
type Visit = (node: ExpressionNode, value: JSONValue) => JSONValue;
/** A budgeted function: the arguments, the step's budget, the library's own implementation, and its name for messages ("pad_left()"). */
type Budgeted = (args: Args, budget: Budget, original: Impl, what: string, visit: Visit) => JSONValue;

/** Characters (or elements of a native scan) one step stands for. */
const SCAN = 16;
const scanned = (units: number) => Math.ceil(units / SCAN);

const str = (v: JSONValue | undefined) => v as string;
const list = (v: JSONValue | undefined) => v as JSONValue[];
const keyCount = (v: JSONValue | undefined) => Object.keys(v as object).length;

/** Functions whose cost does not depend on their arguments' sizes. */
const constant: Budgeted = (args, _b, original) => original(args);

/** Functions that scan their first argument (a string or an array) natively and produce nothing big. */
const scanning: Budgeted = (args, b, original, what) => {
  const subject = args[0];
  b.work(scanned(typeof subject === 'string' || Array.isArray(subject) ? subject.length : 0), what);
  return original(args);
};

/** Functions that handle each element of their first argument in JavaScript and produce a number or one element. */
const perElement: Budgeted = (args, b, original, what) => {
  b.work(list(args[0]).length, what);
  return original(args);
};

/** lower and upper: a result longer than the argument (ß → SS) is held to the limit, once built (at most 3 × the argument). */
const casing: Budgeted = (args, b, original, what) => {
  const subject = str(args[0]);
  b.work(scanned(subject.length), what);
  const result = str(original(args));
  b.string(result.length, what, subject.length);
  return result;
};

const pad: Budgeted = (args, b, original, what) => {
  const [subject, width] = [str(args[0]), args[1] as number];
  // The library returns "" for "" whatever the width, and validates the width itself.
  if (subject.length > 0 && Number.isInteger(width) && width > subject.length) b.string(width, what, subject.length);
  return original(args);
};

const replace: Budgeted = (args, b, _original, what) => {
  const [subject, old, by] = [str(args[0]), str(args[1]), str(args[2])];
  const count = args.length > 3 ? (args[3] as number) : undefined;
  if (count === 0) return subject;
  if (count === undefined) {
    // Every occurrence, as subject.split(old).join(by) does ('' splits between code units).
    b.work(scanned(subject.length), what);
    if (old === '') {
      b.string(subject.length + Math.max(subject.length - 1, 0) * by.length, what, subject.length);
    } else if (by.length > old.length) {
      // Each occurrence adds by.length - old.length: count them only until the result is too long.
      const max = b.limits.maxStringChars;
      let length = subject.length;
      eachOccurrence(subject, old, () => (length += by.length - old.length) <= max);
      if (length > max) throw exceeded(LIMIT_SETTINGS.maxStringChars, max, length, `${what} would build a string of more than ${grouped(max)} characters`);
      b.string(length, what, subject.length);
    } else {
      b.string(subject.length, what, subject.length); // no longer than the subject
    }
    return subject.split(old).join(by);
  }
  ensureCount(count);
  // The library applies subject.replace(old, by) `count` times, each on the previous result.
  let current = subject;
  for (let i = 0; i < count; i++) {
    const at = current.indexOf(old);
    b.work(1 + scanned(at < 0 ? current.length : at + old.length), what);
    if (at < 0) break;
    b.string(current.length - old.length + substitutionLength(by, current, at, old.length), what, subject.length);
    const next = current.replace(old, by);
    if (next === current) break; // the same string again: so would every further replacement be
    current = next;
  }
  return current;
};

const split: Budgeted = (args, b, _original, what) => {
  const [subject, separator] = [str(args[0]), str(args[1])];
  const count = args.length > 2 ? (args[2] as number | null) : undefined;
  if (subject.length === 0 && separator.length === 0) return [];
  if (count !== undefined && count !== null) {
    ensureCount(count);
    if (count === 0) return [subject];
  }
  const limit = count ?? Infinity;
  // Where the pieces start (up to count + 1 of them: the first `count`, then where the rest
  // starts), found before any piece is built. A piece is never longer than the subject.
  const starts: number[] = [];
  if (separator === '') {
    for (let i = 0; i < subject.length && starts.length <= limit; i++) starts.push(i);
  } else {
    starts.push(0);
    eachOccurrence(subject, separator, (at) => starts.length <= limit && starts.push(at + separator.length) > 0);
  }
  const pieces = count === undefined || count === null ? starts.length : Math.min(starts.length, count) + 1;
  b.work(scanned(subject.length) + starts.length, what);
  b.array(pieces, what);
  if (count === undefined || count === null) return subject.split(separator);
  const out: string[] = [];
  for (let k = 0; k < Math.min(starts.length, count); k++) {
    const end = separator === '' ? starts[k]! + 1 : k + 1 < starts.length ? starts[k + 1]! - separator.length : subject.length;
    out.push(subject.slice(starts[k], end));
  }
  // The rest: what follows the count-th separator ('' when there are fewer, as the library gives).
  out.push(starts.length > count ? subject.slice(starts[count]) : '');
  return out;
};

const join: Budgeted = (args, b, original, what) => {
  const [separator, parts] = [str(args[0]), list(args[1]) as string[]];
  let total = separator.length * Math.max(parts.length - 1, 0);
  let longest = separator.length;
  for (const p of parts) {
    total += p.length;
    if (p.length > longest) longest = p.length;
  }
  b.work(parts.length + scanned(total), what);
  b.string(total, what, longest);
  return original(args);
};

const toString: Budgeted = (args, b, _original, what) => {
  const value = args[0];
  return typeof value === 'string' ? value : stringifyWithin(value, b, what);
};

const reverse: Budgeted = (args, b, original, what) => {
  const subject = args[0];
  if (typeof subject !== 'string') {
    b.work(list(subject).length, what);
    b.array(list(subject).length, what, 'array', list(subject).length);
    return original(args);
  }
  b.work(subject.length, what);
  b.string(subject.length, what, subject.length);
  // By code points, as the library does, without spreading a million arguments into String.fromCodePoint.
  return Array.from(subject).reverse().join('');
};

/** A comparison of two strings by code points, charged for the code units it compared. */
function comparer(b: Budget, what: string): (x: string, y: string) => number {
  const charge = (units: number) => b.work(1 + units, what);
  return (x, y) => compareCodePoints(x, y, charge);
}

const sort: Budgeted = (args, b, original, what) => {
  const input = list(args[0]);
  b.array(input.length, what, 'array', input.length);
  if (input.length === 0 || typeof input[0] !== 'string') {
    b.work(input.length * Math.ceil(Math.log2(input.length + 1)), what);
    return original(args);
  }
  b.work(input.length, what);
  return [...(input as string[])].sort(comparer(b, what));
};

const TYPE_NAMES: Record<string, string> = { number: 'number', string: 'string', boolean: 'boolean', object: 'object' };
const typeName = (v: JSONValue) => (v === null ? 'null' : Array.isArray(v) ? 'array' : TYPE_NAMES[typeof v] ?? 'unknown');

const sortBy: Budgeted = (args, b, _original, what, visit) => {
  const sorted = list(args[0]).slice(0);
  const expref = args[1] as unknown as ExpressionNode;
  b.array(sorted.length, what, 'array', sorted.length);
  if (sorted.length === 0) return sorted;
  // The keys once each (the library computes two per comparison), with the library's type rules.
  const keys = sorted.map((item) => visit(expref, item));
  const required = typeName(keys[0]!);
  if (required !== 'number' && required !== 'string') throw new Error(`Invalid type: unexpected type (${required})`);
  if (sorted.length === 1) return sorted;
  for (const key of keys) {
    if (typeName(key) !== required) throw new Error(`Invalid type: expected (${required}), received ${typeName(key)}`);
  }
  const order = sorted.map((_, i) => i);
  if (required === 'number') {
    b.work(sorted.length * Math.ceil(Math.log2(sorted.length + 1)), what);
    order.sort((i, j) => (keys[i] as number) - (keys[j] as number));
  } else {
    const compare = comparer(b, what);
    order.sort((i, j) => compare(keys[i] as string, keys[j] as string));
  }
  // Sorting positions with the same comparisons moves them exactly as sorting the items would.
  return order.map((i) => sorted[i]!);
};

/** max and min over numbers without spreading the array into Math.max's arguments (a RangeError past ~120,000). */
const extreme =
  (pick: (a: number, b: number) => number): Budgeted =>
  (args, b, original, what) => {
    const input = list(args[0]);
    b.work(input.length, what);
    if (input.length === 0 || typeof input[0] !== 'number') return original(args);
    let best = input[0] as number;
    for (let i = 1; i < input.length; i++) best = pick(best, input[i] as number);
    return best;
  };

const merge: Budgeted = (args, b, original, what) => {
  let entries = 0;
  let largest = 0;
  for (const o of args) {
    const n = keyCount(o);
    entries += n;
    largest = Math.max(largest, n);
  }
  b.work(entries, what);
  b.array(entries, what, 'object', largest);
  return original(args);
};

const zip: Budgeted = (args, b, original, what) => {
  const shortest = Math.min(...args.map((a) => list(a).length));
  b.work(shortest * args.length, what);
  b.array(shortest, what, 'array', shortest);
  return original(args);
};

const map: Budgeted = (args, b, original, what) => {
  const n = list(args[1]).length;
  b.array(n, what, 'array', n);
  return original(args);
};

const keysOrValues: Budgeted = (args, b, original, what) => {
  const result = original(args) as JSONValue[];
  b.work(result.length, what);
  b.array(result.length, what, 'array', result.length); // one per entry of the object read
  return result;
};

const items: Budgeted = (args, b, original, what) => {
  const result = original(args) as JSONValue[];
  b.work(3 * result.length, what);
  b.array(3 * result.length, what, 'array', Infinity); // n pairs, one per entry of the object read
  return result;
};

const fromItems: Budgeted = (args, b, original, what) => {
  const n = list(args[0]).length;
  b.work(n, what);
  const result = original(args);
  b.array(keyCount(result), what, 'object', n);
  return result;
};

const groupBy: Budgeted = (args, b, original, what) => {
  const input = list(args[0]);
  b.work(input.length, what);
  const result = original(args);
  b.array(keyCount(result) + input.length, what, 'object', Infinity); // groups holding every element once
  return result;
};

const length: Budgeted = (args, b, original, what) => {
  const result = original(args) as number;
  // A string is counted by code points (an array of them); an object by listing its keys.
  if (!Array.isArray(args[0])) b.work(result, what);
  return result;
};

const trimmer =
  (fn: (subject: string, chars?: string) => string): Budgeted =>
  (args, b, _original, what) => {
    const subject = str(args[0]);
    b.work(scanned(subject.length), what);
    const chars = args.length > 1 ? str(args[1]) : undefined;
    const result = fn(subject, chars);
    b.string(result.length, what, subject.length);
    return result;
  };

/** The budget of every function of @jmespath-community/jmespath 1.3's table. */
const BUDGETED: Record<string, Budgeted> = {
  abs: constant,
  ceil: constant,
  floor: constant,
  not_null: constant,
  to_array: constant,
  type: constant,
  lower: casing,
  upper: casing,
  to_number: scanning,
  contains: scanning,
  ends_with: scanning,
  starts_with: scanning,
  find_first: scanning,
  find_last: scanning,
  avg: perElement,
  sum: perElement,
  max_by: perElement,
  min_by: perElement,
  max: extreme(Math.max),
  min: extreme(Math.min),
  keys: keysOrValues,
  values: keysOrValues,
  items,
  from_items: fromItems,
  group_by: groupBy,
  length,
  map,
  merge,
  zip,
  join,
  split,
  replace,
  pad_left: pad,
  pad_right: pad,
  reverse,
  sort,
  sort_by: sortBy,
  to_string: toString,
  trim: trimmer(trim),
  trim_left: trimmer(trimLeft),
  trim_right: trimmer(trimRight),
};

/** Names of the functions that have a budget (a test compares them with the library's table). */
export const BUDGETED_FUNCTIONS: ReadonlySet<string> = new Set(Object.keys(BUDGETED));

interface TableEntry {
  _func: Impl;
}

/**
 * Replaces every function of `table` by its budgeted version, charging the budget in `meter`.
 * Throws if the table has a function without a budget.
 */
export function budgetFunctionTable(table: Record<string, TableEntry>, visit: Visit): void {
  for (const [name, entry] of Object.entries(table)) {
    const budgeted = BUDGETED[name];
    if (!budgeted) throw new Error(`the JMESPath function ${name}() has no budget: add it to expressions/functions.ts`);
    const original = entry._func;
    const what = `${name}()`;
    entry._func = (args) => budgeted(args, meter.budget, original, what, visit);
  }
}
