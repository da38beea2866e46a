import { TreeInterpreter } from '@jmespath-community/jmespath';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { evaluate } from './jmespath';

/** The library's own (regex-based) trim functions, as the reference. */
const library = (name: 'trim' | 'trim_left' | 'trim_right', subject: string, chars?: string) =>
  TreeInterpreter.runtime._functionTable[name]!._func(chars === undefined ? [subject] : [subject, chars]);
const ours = (name: 'trim' | 'trim_left' | 'trim_right', subject: string, chars?: string) =>
  evaluate(chars === undefined ? `${name}(s)` : `${name}(s, c)`, { s: subject, c: chars });

const NAMES = ['trim', 'trim_left', 'trim_right'] as const;

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('trim, trim_left and trim_right', () => {
  it('build no regular expression from the characters a user passes, and trim a megabyte at once', () => {
    const built: string[] = [];
    const Native = RegExp;
    vi.stubGlobal('RegExp', new Proxy(Native, { construct: (target, args: [string, string?]) => (built.push(String(args[0])), new target(...args)) }));
    for (const name of NAMES) ours(name, '--ab--', '-');
    expect(built).toEqual([]);
    vi.unstubAllGlobals();
    // The library's `(.*?)[a]*$` rescans the run from every start: quadratic, hours for a megabyte.
    const s = `${'a'.repeat(1_000_000)}b`;
    expect(ours('trim_right', s, 'a')).toBe(s);
    expect(ours('trim', `${' '.repeat(1_000_000)}b`)).toBe('b');
  });

  it.each([
    ['  hi  ', undefined],
    ['\t\n hi \u00a0\u2028\u0085', undefined],
    ['xxhixx', 'x'],
    ['-^]\\hi\\]^-', '-^]\\'],
    ['a\nbb', 'b'],
    ['a\nb\n', '\n'],
    ['ab\n', 'b'],
    ['😀hi😀', '😀'],
    ['\ud83dhi', '\ud83d'],
    ['hi', ''],
    ['', 'x'],
  ])('give the library\'s results for %j with %j', (subject, chars) => {
    for (const name of NAMES) expect([name, ours(name, subject, chars)]).toEqual([name, library(name, subject, chars)]);
  });

  it('agree with the library on random strings and character sets', () => {
    const alphabet = fc.constantFrom('a', 'b', ' ', '\n', '\r', '\t', '-', ']', '^', '\\', '.', '*', '\u00a0', '\u2028', '😀', 'é');
    const text = fc.array(alphabet, { maxLength: 12 }).map((c) => c.join(''));
    fc.assert(
      fc.property(text, fc.option(text, { nil: undefined }), (subject, chars) => {
        for (const name of NAMES) expect([name, subject, chars, ours(name, subject, chars)]).toEqual([name, subject, chars, library(name, subject, chars)]);
      }),
      { numRuns: 500 },
    );
  });
});
