import { describe, expect, it } from 'vitest';
import { unacceptableJson } from './json-limits';

const nest = (levels: number, leaf: unknown = 1): unknown => {
  let v = leaf;
  for (let i = 0; i < levels; i++) v = i % 2 ? [v] : { a: v };
  return v;
};

describe('unacceptableJson', () => {
  it('accepts ordinary JSON, well-formed emoji and nesting up to the limit', () => {
    expect(unacceptableJson({ name: 'ok 🧵', list: [1, 'two', null, { three: true }] }, 8)).toBeUndefined();
    expect(unacceptableJson(nest(8), 8)).toBeUndefined();
    expect(unacceptableJson('plain', 1)).toBeUndefined();
    expect(unacceptableJson(42, 1)).toBeUndefined();
  });

  it('names the first level past the limit', () => {
    expect(unacceptableJson({ a: { b: [[1]] } }, 3)).toEqual({ path: 'body.a.b[0]', code: 'too_deep', message: expect.stringContaining('deeper than 3 levels') });
  });

  it('walks a million levels without using the call stack', () => {
    expect(unacceptableJson(nest(1_000_000), 1_000_001)).toBeUndefined();
    expect(unacceptableJson(nest(1_000_000), 128)?.code).toBe('too_deep');
  });

  it('refuses NUL and unpaired surrogates in values and keys, with their path', () => {
    expect(unacceptableJson({ a: ['x', 'y\u0000'] }, 8)).toMatchObject({ path: 'body.a[1]', code: 'invalid_string', message: expect.stringContaining('U+0000') });
    expect(unacceptableJson({ a: { b: 'x\uD800' } }, 8)).toMatchObject({ path: 'body.a.b', message: expect.stringContaining('unpaired') });
    expect(unacceptableJson({ a: '\uDC00\uD800' }, 8)?.path).toBe('body.a');
    expect(unacceptableJson({ a: { 'k\u0000': 1 } }, 8)?.path).toBe('body.a key "k\\u0000"');
    expect(unacceptableJson('\u0000', 8)?.path).toBe('body');
    expect(unacceptableJson({ pair: '\uD83E\uDDF5' }, 8)).toBeUndefined();
  });
});
