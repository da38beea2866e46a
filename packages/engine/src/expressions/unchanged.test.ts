import { compile, TreeInterpreter, type JSONValue } from '@jmespath-community/jmespath';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BudgetExceededError } from '../budget/errors';
import { DEFAULT_LIMITS } from '../budget/limits';
import { evaluationError } from './errors';
import { evaluate, ExpressionError } from './jmespath';
import { normalizeExpression } from './lexical';

/*
 * The budget changes no result under the limits: every function and operator the engine budgets
 * or re-implements (trim, replace, split, sort, sort_by, max, min, reverse, ==, truthiness,
 * flatten) gives what @jmespath-community/jmespath itself gives, error kinds included, on random
 * data full of the characters that matter (spaces of every kind, line breaks, $ patterns,
 * surrogates). The reference is the library's own interpreter with nothing replaced but field
 * access (own properties only, as the engine has always read JSON).
 */

type Interpreter = typeof TreeInterpreter;
const reference = new (TreeInterpreter.constructor as new () => Interpreter)();
const libraryVisit = reference.visit;
reference.visit = function (this: Interpreter, node, value) {
  if (node.type !== 'Field') return libraryVisit.call(this, node, value);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return null;
  return Object.hasOwn(value, node.name) ? ((value as Record<string, JSONValue>)[node.name] ?? null) : null;
};

type Outcome = { value: unknown } | { error: string } | { overLimits: true };

function byLibrary(expression: string, data: unknown): Outcome {
  try {
    return { value: reference.search(compile(normalizeExpression(expression)), data as JSONValue) };
  } catch (error) {
    return { error: evaluationError(error, expression).kind };
  }
}

function byEngine(expression: string, data: unknown): Outcome {
  try {
    return { value: evaluate(expression, data) };
  } catch (error) {
    if (error instanceof ExpressionError) return { error: error.kind };
    if (error instanceof BudgetExceededError) return { overLimits: true };
    throw error;
  }
}

const unit = fc.constantFrom('a', 'b', 'x', ' ', '\n', '\r', '\t', '\u0085', '\u00a0', '\u2028', '$', '&', '`', "'", ',', 'ß', 'É', '😀', '\ud800', '\udc00', '\uffff', '\ue000');
const text = fc.string({ unit, maxLength: 12 });
const smallText = fc.string({ unit, maxLength: 3 });
const count = fc.oneof(fc.integer({ min: 0, max: 8 }), fc.constantFrom(-1, 1.5, 100));
const object = fc.dictionary(fc.constantFrom('a', 'b', 'k', '__proto__', 'constructor'), fc.oneof(text, fc.integer()), { maxKeys: 4 });

const data = fc.record({
  a: text,
  b: smallText,
  c: smallText,
  p: fc.constantFrom('', ' ', '-', '😀', 'ab'),
  n: count,
  k: count,
  arr: fc.array(text, { maxLength: 6 }),
  nums: fc.array(fc.integer({ min: -50, max: 50 }), { maxLength: 6 }),
  objs: fc.array(fc.record({ k: fc.oneof(fc.integer({ min: 0, max: 5 }), fc.constantFrom('a', 'b', 'ab', '😀', '\ud800', '\ud800a', '\uffff', '\ud83d')) }), { maxLength: 6 }),
  o1: object,
  o2: object,
  // Strings that order differently by UTF-16 units and by code points (pairs, lone halves, U+FFFF).
  tricky: fc.array(fc.array(fc.constantFrom('\ud800\udc00', '\ud800\uffff', '\ud800', '\ud800a', '\uffff', '\ue000', '😀', '\ud83d', '\udc00', 'a'), { maxLength: 3 }).map((p) => p.join('')), { maxLength: 6 }),
});

const EXPRESSIONS = [
  'pad_left(a, n, p)', 'pad_right(a, n, p)', 'pad_left(a, n)',
  'replace(a, b, c)', 'replace(a, b, c, k)', "replace(a, '', c)", "replace(a, b, '$&$`$$')",
  'split(a, b)', 'split(a, b, k)', "split(a, '')", "split(a, '', k)",
  'join(b, arr)', 'trim(a)', 'trim(a, b)', 'trim_left(a)', 'trim_left(a, b)', 'trim_right(a)', 'trim_right(a, b)',
  'lower(a)', 'upper(a)', 'reverse(a)', 'reverse(arr)', 'length(a)', 'length(o1)', 'to_string(o1)', 'to_string(arr)',
  'sort(arr)', 'sort(tricky)', 'sort_by(tricky, &@)', 'max(tricky)', 'sort(nums)', 'sort_by(objs, &k)', 'max(nums)', 'min(nums)', 'max(arr)', 'min(arr)', 'max_by(objs, &k)',
  'merge(o1, o2)', 'zip(arr, nums)', 'items(o1)', 'keys(o1)', 'values(o1)', 'from_items(items(o1))', 'group_by(objs, &to_string(k))',
  'map(&length(@), arr)', 'arr[?@ == a]', 'arr[?length(@) > `2`]', 'nums[1:3]', 'a[::-1]', 'arr[::2]', '[arr, nums][]', '[[arr], [nums]][][]',
  'o1 == o2', 'arr == arr', 'objs == objs[*]', 'a || b', '!a', 'a && b', 'a ? b : c', 'o1 || o2', '!o1', 'o1.*', 'objs[*].k', 'values(o1)[?@]',
  'contains(arr, a)', 'contains(a, b)', 'starts_with(a, b)', 'ends_with(a, b)', 'find_first(a, b)', 'find_last(a, b)',
  'avg(nums)', 'sum(nums)', 'not_null(o1.x, a)', 'to_number(a)', 'type(o1)', 'abs(n)', 'to_array(a)', 'length(@)',
];

describe('Budgeted evaluation gives the library\'s results under the limits', () => {
  it.each(EXPRESSIONS)('%s', (expression) => {
    fc.assert(
      fc.property(data, (d) => {
        const engine = byEngine(expression, d);
        const library = byLibrary(expression, d);
        if ('overLimits' in engine) {
          // Refused by the budget: only where the library fails too or builds past the limits
          // (replace(a, '', "a$'", 100) doubles the text a hundred times).
          if ('value' in library) expect(JSON.stringify(library.value).length).toBeGreaterThan(DEFAULT_LIMITS.maxStringChars);
          return;
        }
        expect(engine).toStrictEqual(library);
      }),
      { numRuns: 300 },
    );
  });
});
