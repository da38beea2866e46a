import { describe, expect, it } from 'vitest';
import { BudgetExceededError } from './errors';
import { DEFAULT_LIMITS } from './limits';
import { checkValue, serializeWithin, utf8Length } from './value-size';
import { budgetError } from './test-support';

const limits = { maxValueBytes: 1_000, maxValueDepth: 10 };

const nested = (depth: number): unknown => {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = { a: [v] };
  return v;
};

describe('Value limits (step outputs, run inputs, run outputs)', () => {
  it('serializes a value under the limits to the same text as JSON.stringify', () => {
    const value = { a: [1, 'é', null, true, { b: -0.5 }], '': 'x' };
    expect(serializeWithin(value, limits, 'the output')).toBe(JSON.stringify(value));
    expect(serializeWithin(undefined, limits, 'the output')).toBe('null');
  });

  it('refuses a value past the byte limit, naming what it is and the setting', () => {
    const e = budgetError(() => serializeWithin({ s: 'x'.repeat(2_000) }, limits, 'the output of node "big"'));
    expect(e.message).toBe('the output of node "big" is at least 2,008 bytes as JSON; the limit is 1,000 (WEFT_MAX_VALUE_BYTES)');
    expect(e).toMatchObject({ code: 'budget_exceeded', limit: 'WEFT_MAX_VALUE_BYTES', max: 1_000 });
  });

  it('counts UTF-8 bytes, not UTF-16 units: 400 × "é😀" is 2,400 bytes', () => {
    const text = 'é😀'.repeat(400);
    expect(utf8Length(text)).toBe(Buffer.byteLength(text));
    const e = budgetError(() => serializeWithin(text, { maxValueBytes: 2_000, maxValueDepth: 10 }, 'the input'));
    expect(e.actual).toBe(Buffer.byteLength(JSON.stringify(text)));
  });

  it('refuses a value nested deeper than the depth limit without recursing into it', () => {
    expect(budgetError(() => checkValue(nested(100_000), DEFAULT_LIMITS, 'the inputs')).message).toBe(
      'the inputs nests arrays and objects more than 128 levels deep; the limit is 128 (WEFT_MAX_VALUE_DEPTH)',
    );
    expect(() => checkValue(nested(5), limits, 'x')).not.toThrow(); // 10 levels
    expect(budgetError(() => checkValue(nested(6), limits, 'x')).actual).toBe(11);
  });

  it('refuses 200,000 references to one 10,000-element array without serializing 2 × 10^9 elements', () => {
    const shared = Array.from({ length: 10_000 }, (_, i) => i);
    const refs = Array.from({ length: 200_000 }, () => shared);
    expect(budgetError(() => serializeWithin(refs, DEFAULT_LIMITS, 'the output')).limit).toBe('WEFT_MAX_VALUE_BYTES');
  });

  it('measures numbers as JSON writes them', () => {
    for (const n of [0, 7, 10, 99, 100, -1, -10, 123456789012345, 1e21, 0.1, -2.5e-7]) {
      const text = JSON.stringify([n]);
      expect(() => serializeWithin([n], { maxValueBytes: text.length, maxValueDepth: 2 }, 'x')).not.toThrow();
      expect(() => serializeWithin([n], { maxValueBytes: text.length - 1, maxValueDepth: 2 }, 'x')).toThrow(BudgetExceededError);
    }
  });
});
