import { TreeInterpreter } from '@jmespath-community/jmespath';
import { describe, expect, it } from 'vitest';
import { Budget } from '../budget/budget';
import { DEFAULT_LIMITS, type Limits } from '../budget/limits';
import { BUDGETED_FUNCTIONS } from './functions';
import { checkSyntax, evaluate } from './jmespath';
import { renderTemplate } from './template';
import { budgetError } from '../budget/test-support';

/** A budget with small limits, so each case stays cheap. */
const small = (limits: Partial<Limits> = {}) =>
  new Budget({ ...DEFAULT_LIMITS, maxStringChars: 1_000, maxArrayElements: 100, maxEvaluationBytes: 1_000_000, maxEvaluationSteps: 100_000, ...limits });

const letters = (n: number) => 'x'.repeat(n);

describe('A let expression', () => {
  it('is charged for the interpreter it builds, so a let per element cannot outrun the step limit', () => {
    const data = { a: Array.from({ length: 2_000 }, () => 0) };
    // 2,000 lets at LET_COST each pass 100,000 steps; charged as one step each they did not.
    const e = budgetError(() => evaluate('length(a[*].let $x = @ in $x)', data, small()));
    expect(e.details).toMatchObject({ limit: 'WEFT_MAX_EVALUATION_STEPS' });
    expect(evaluate('length(a[*].let $x = @ in $x)', { a: [0, 0, 0] }, small())).toBe(3);
  });
});

describe('Expression budgets: the poison expressions of issue 12', () => {
  it('refuses length(split(pad_left(...5,000,000...), "")) at pad_left, naming the string limit and its setting', () => {
    const e = budgetError(() => evaluate("length(split(pad_left('a', `5000000`, 'x'), ''))", {}));
    expect(e.code).toBe('budget_exceeded');
    expect(e.message).toBe('pad_left() would build a string of 5,000,000 characters; the limit is 1,000,000 (WEFT_MAX_STRING_CHARS)');
    expect(e).toMatchObject({ limit: 'WEFT_MAX_STRING_CHARS', max: 1_000_000, actual: 5_000_000, expression: "length(split(pad_left('a', `5000000`, 'x'), ''))" });
  });

  it('refuses pad_left with a width of 100,000,000 before building anything', () => {
    const budget = new Budget();
    const e = budgetError(() => evaluate("pad_left('a', `100000000`, 'x')", {}, budget));
    expect(e.actual).toBe(100_000_000);
    expect(budget.bytes).toBe(0); // nothing was built
  });

  it('runs replace with a count of 10^12 only as long as there is something to replace', () => {
    expect(evaluate("replace('abcb', 'b', 'x', `1000000000000`)", {})).toBe('axcx');
    expect(evaluate("replace('aaa', 'a', 'a', `1000000000000`)", {})).toBe('aaa');
  });

  it('cuts replace with a huge count whose replacements never run out (each one adds text)', () => {
    const e = budgetError(() => evaluate("replace('a', 'a', 'aa', `1000000000000`)", {}, small()));
    expect(e.limit).toBe('WEFT_MAX_STRING_CHARS');
  });
});

describe('Every function of the library table is budgeted', () => {
  it('has a budget for each function of @jmespath-community/jmespath, and no budget for a function it lacks', () => {
    const table = (new (TreeInterpreter.constructor as new () => typeof TreeInterpreter)()).runtime._functionTable;
    expect([...BUDGETED_FUNCTIONS].sort()).toEqual(Object.keys(table).sort());
  });

  it('pad_left and pad_right refuse a width past the string limit, and "" stays "" whatever the width', () => {
    expect(budgetError(() => evaluate("pad_right('ab', `1001`)", {}, small())).message).toBe('pad_right() would build a string of 1,001 characters; the limit is 1,000 (WEFT_MAX_STRING_CHARS)');
    expect(evaluate("pad_left('ab', `1000`, '-')", {}, small())).toHaveLength(1000);
    expect(evaluate("pad_left('', `100000000`)", {}, small())).toBe('');
  });

  it('replace (every occurrence) refuses a result past the string limit before building it', () => {
    const e = budgetError(() => evaluate("replace(s, 'x', 'yy')", { s: letters(600) }, small()));
    expect(e.message).toBe('replace() would build a string of more than 1,000 characters; the limit is 1,000 (WEFT_MAX_STRING_CHARS)');
    expect(budgetError(() => evaluate("replace(s, '', '--')", { s: letters(400) }, small())).actual).toBe(400 + 399 * 2);
    expect(evaluate("replace(s, 'x', 'y')", { s: letters(600) }, small())).toBe('y'.repeat(600));
  });

  it('replace with a count refuses the replacement that would pass the string limit', () => {
    const e = budgetError(() => evaluate("replace(s, 'x', '$&$&', `100`)", { s: letters(990) }, small()));
    expect(e.limit).toBe('WEFT_MAX_STRING_CHARS');
    expect(e.actual).toBe(1_001);
  });

  it('join refuses a result past the string limit before joining, counting separators', () => {
    const e = budgetError(() => evaluate("join(', ', parts)", { parts: Array(300).fill('abc') }, small()));
    expect(e.actual).toBe(300 * 3 + 299 * 2);
  });

  it('split refuses more pieces than the array limit before splitting, and a count keeps only what it returns', () => {
    expect(budgetError(() => evaluate("split(s, '')", { s: letters(101) }, small())).message).toBe('split() would build an array of 101 elements; the limit is 100 (WEFT_MAX_ARRAY_ELEMENTS)');
    expect(budgetError(() => evaluate("split(s, ',')", { s: ','.repeat(100) }, small())).actual).toBe(101);
    expect(evaluate("split(s, ',', `2`)", { s: ','.repeat(500) }, small())).toEqual(['', '', ','.repeat(498)]);
  });

  it('to_string refuses to serialize past the string limit, and a string passes through', () => {
    expect(budgetError(() => evaluate('to_string(a)', { a: Array(300).fill('abcd') }, small())).limit).toBe('WEFT_MAX_STRING_CHARS');
    expect(evaluate('to_string(s)', { s: letters(5_000) }, small())).toHaveLength(5_000);
  });

  it('to_string of 150,000 references to one 150,000-element array is refused without serializing it', () => {
    const big = Array.from({ length: 150_000 }, (_, i) => i);
    const e = budgetError(() => evaluate('to_string(map(&$.big, big))', { big }));
    expect(e.limit).toBe('WEFT_MAX_STRING_CHARS');
  });

  it('a flatten of shared references is measured before it is built', () => {
    const big = Array.from({ length: 150_000 }, (_, i) => i);
    const e = budgetError(() => evaluate('map(&$.big, big)[]', { big }));
    expect(e.message).toBe('a flatten ([]) would build an array of 22,500,000,000 elements; the limit is 200,000 (WEFT_MAX_ARRAY_ELEMENTS)');
  });

  it('merge refuses more entries than the array limit when it grows past every object it read', () => {
    const obj = (prefix: string) => Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`${prefix}${i}`, i]));
    expect(budgetError(() => evaluate('merge(a, b)', { a: obj('a'), b: obj('b') }, small())).message).toBe('merge() would build an object of 120 entries; the limit is 100 (WEFT_MAX_ARRAY_ELEMENTS)');
  });

  it('map, zip, sort, reverse, keys, values and items are charged but never refused for building no more than they read', () => {
    const nums = Array.from({ length: 150 }, (_, i) => 150 - i);
    const obj = Object.fromEntries(nums.map((n) => [`k${n}`, n]));
    const budget = small();
    expect(evaluate('length(map(&@, nums))', { nums }, budget)).toBe(150);
    expect(evaluate('length(zip(nums, nums))', { nums }, budget)).toBe(150);
    expect(evaluate('sort(nums)[0]', { nums }, budget)).toBe(1);
    expect(evaluate('reverse(nums)[0]', { nums }, budget)).toBe(1);
    expect(evaluate('length(keys(obj))', { obj }, budget)).toBe(150);
    expect(evaluate('length(values(obj))', { obj }, budget)).toBe(150);
    expect(evaluate('length(items(obj))', { obj }, budget)).toBe(150);
    expect(budget.bytes).toBeGreaterThan(150 * 8 * 7);
  });

  it('sort and sort_by compare long equal strings within the step budget', () => {
    const refs = Array(2_000).fill(letters(10_000));
    const other = [...refs.map((s: string, i: number) => s + i)];
    expect(budgetError(() => evaluate('sort(@)', other, small())).limit).toBe('WEFT_MAX_EVALUATION_STEPS');
    expect(budgetError(() => evaluate('sort_by(@, &@)', other, small())).limit).toBe('WEFT_MAX_EVALUATION_STEPS');
    // The same string 2,000 times compares by identity: cheap.
    expect(evaluate('length(sort(@))', refs, small({ maxArrayElements: 5_000 }))).toBe(2_000);
  });

  it('max and min handle arrays longer than Math.max accepts as arguments', () => {
    const nums = Array.from({ length: 300_000 }, (_, i) => i);
    expect(evaluate('max(@)', nums)).toBe(299_999);
    expect(evaluate('min(@)', nums)).toBe(0);
  });

  it('reverse reverses a 1,000,000-character string by code points', () => {
    expect(evaluate('reverse(s)', { s: `${letters(999_998)}a😀` })).toBe(`😀a${letters(999_998)}`);
  });

  it('lower and upper are held to the limit when the result grows past the argument', () => {
    expect(budgetError(() => evaluate('upper(s)', { s: 'ß'.repeat(600) }, small())).actual).toBe(1_200);
    expect(evaluate('lower(s)', { s: letters(5_000).toUpperCase() }, small())).toBe(letters(5_000));
  });

  it('trim, trim_left and trim_right remove a run of a million characters in one pass', () => {
    const s = `${' '.repeat(1_000_000)}x${' '.repeat(1_000_000)}`;
    expect(evaluate('trim(s)', { s })).toBe('x');
    expect(evaluate('trim_right(s)', { s })).toHaveLength(1_000_001);
    expect(evaluate("trim_left(s, ' ')", { s })).toHaveLength(1_000_001);
  });

  it('scanning functions (contains, starts_with, find_first, ...) are charged for what they scan', () => {
    const budget = small();
    evaluate("contains(s, 'y')", { s: letters(16_000) }, budget);
    expect(budget.steps).toBeGreaterThanOrEqual(1_000);
  });

  it('length of a string is charged per code point, as the library counts them', () => {
    const budget = small();
    expect(evaluate('length(s)', { s: letters(5_000) }, budget)).toBe(5_000);
    expect(budget.steps).toBeGreaterThanOrEqual(5_000);
  });
});

describe('Evaluation steps, memory and nesting', () => {
  it('cuts a long evaluation at the step limit, naming where it stopped', () => {
    const items = Array.from({ length: 1_000 }, (_, i) => i);
    const e = budgetError(() => evaluate('items[*].[@, @, @][][]', { items }, small({ maxEvaluationSteps: 2_000 })));
    expect(e.message).toMatch(/^the expressions of this step take more than 2,000 evaluation steps \(stopped in .+\); the limit is 2,000 \(WEFT_MAX_EVALUATION_STEPS\)$/);
  });

  it('one budget is shared by every evaluation of a step', () => {
    const budget = small({ maxEvaluationSteps: 60 });
    for (let i = 0; i < 10; i++) evaluate('a.b.c', { a: { b: { c: 1 } } }, budget); // 5 nodes each
    expect(budget.steps).toBe(50);
    expect(() => evaluate('a.b.c', {}, budget)).not.toThrow();
    expect(budgetError(() => { for (let i = 0; i < 5; i++) evaluate('a.b.c', {}, budget); }).limit).toBe('WEFT_MAX_EVALUATION_STEPS');
  });

  it('cuts what a step builds in total at the memory limit, even if every string is under the string limit', () => {
    const e = budgetError(() => evaluate("map(&pad_left('a', `900`, 'x'), items)", { items: Array(100).fill(0) }, small({ maxEvaluationBytes: 50_000 })));
    expect(e.limit).toBe('WEFT_MAX_EVALUATION_BYTES');
  });

  it('== between values built from shared references is cut by the step limit', () => {
    const big = Array.from({ length: 1_000 }, (_, i) => i);
    // 1,000 references to one array on each side, equal element by element: a million comparisons.
    const e = budgetError(() => evaluate('map(&$.big, big) == map(&$.copy, big)', { big, copy: [...big] }, small({ maxArrayElements: 5_000 })));
    expect(e.limit).toBe('WEFT_MAX_EVALUATION_STEPS');
  });

  it('a filter lists the keys of an object once per step to test it for emptiness, however often it meets it', () => {
    const wide = Object.fromEntries(Array.from({ length: 100_000 }, (_, i) => [`k${i}`, i]));
    const refs = Array.from({ length: 100 }, () => wide);
    const budget = small({ maxEvaluationSteps: 1_000_000 });
    expect(evaluate('length(@[?@])', refs, budget)).toBe(100);
    expect(budget.steps).toBeGreaterThanOrEqual(100_000);
    expect(budget.steps).toBeLessThan(101_000);
  });

  it('refuses an expression 10,000 levels deep (chains, brackets, JSON literals) without reaching the end of the stack', () => {
    const chain = Array(10_000).fill('a').join('.');
    const ors = Array(10_000).fill('a').join(' || ');
    const parens = `${'('.repeat(10_000)}a${')'.repeat(10_000)}`;
    const literal = `\`${'['.repeat(10_000)}${']'.repeat(10_000)}\``;
    for (const expression of [chain, ors, parens, literal]) {
      const e = budgetError(() => evaluate(expression, { a: 1 }));
      expect(e.message).toMatch(/^the expression nests more than 256 levels deep/);
      expect(checkSyntax(expression)).toMatchObject({ ok: false, kind: 'too-deep' });
    }
    expect(evaluate(Array(200).fill('a').join('.'), { a: null })).toBeNull();
  });

  it('does not count brackets inside quoted strings, identifiers or a JSON literal\'s strings', () => {
    expect(evaluate(`'${'['.repeat(1_000)}'`, {})).toBe('['.repeat(1_000));
    expect(evaluate(`\`"${'{'.repeat(1_000)}"\``, {})).toBe('{'.repeat(1_000));
  });

  it('to_string refuses a value nested deeper than the value depth limit', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 200; i++) deep = [deep];
    expect(budgetError(() => evaluate('to_string(@)', deep)).limit).toBe('WEFT_MAX_VALUE_DEPTH');
  });
});

describe('Template budgets', () => {
  it('holds a template\'s text to the string limit as it grows, locating the field', () => {
    const e = budgetError(() => renderTemplate({ body: { text: '{{ s }}{{ s }}' } }, { s: letters(600) }, small()));
    expect(e).toMatchObject({ limit: 'WEFT_MAX_STRING_CHARS', path: 'body.text' });
    expect(e.message).toBe('a template would build a string of at least 1,200 characters; the limit is 1,000 (WEFT_MAX_STRING_CHARS)');
  });

  it('refuses to embed an object whose JSON passes the string limit', () => {
    expect(budgetError(() => renderTemplate('doc={{ a }}', { a: Array(300).fill('abcd') }, small())).limit).toBe('WEFT_MAX_STRING_CHARS');
  });

  it('passes a value of any size through a whole template (it is read, not built)', () => {
    const s = letters(5_000);
    expect(renderTemplate('{{ s }}', { s }, small())).toBe(s);
  });
});
