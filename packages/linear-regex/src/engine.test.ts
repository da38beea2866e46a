import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileLinear, linearRegExp, patternProblem } from './engine';

/** The reference: what Ajv did before (a native RegExp with the `u` flag). */
const native = (pattern: string) => new RegExp(pattern, 'u');

// pattern → inputs; each is checked against the native engine, so the expected value is never hand-written.
const TABLE: [string, string[]][] = [
  // anchors
  ['^abc$', ['abc', 'abcd', 'xabc', 'abc\n', '']],
  ['abc', ['xxabcxx', 'ab', 'ABC']],
  ['^$', ['', '\n', 'a']],
  ['', ['', 'anything']],
  ['^a|b$', ['a', 'xb', 'ax', 'bx']],
  ['\\bfoo\\b', ['a foo b', 'foobar', 'éfooé', 'foo']],
  ['\\Bfoo', ['xfoo', 'foo']],
  // dot and line terminators
  ['^.$', ['a', 'é', '😀', '\n', '\r', '\u2028', '\u2029', '\t', '\u0085', '']],
  ['^.+$', ['line', 'two\nlines', 'cr\rhere']],
  // whitespace: ECMAScript's \s is Unicode (RE2's is ASCII)
  ['^\\s$', [' ', '\t', '\n', '\v', '\f', '\r', '\u00a0', '\u1680', '\u2000', '\u200a', '\u200b', '\u2028', '\u202f', '\u205f', '\u3000', '\ufeff', '\u0085', 'a']],
  ['^\\S+$', ['abc', 'a b', 'a\u00a0b', 'é😀']],
  ['^[\\s]$', ['\u00a0', ' ', 'x']],
  ['^[^\\s]$', ['\u00a0', 'x']],
  ['^[\\S]$', ['\u3000', 'x']],
  ['^[\\s\\S]*$', ['anything\nat all\u2028']],
  // digits and word characters are ASCII in both
  ['^\\d+$', ['123', '١٢٣', '１２３', '12a']],
  ['^\\D+$', ['abc', 'a1']],
  ['^\\w+$', ['abc_123', 'é', 'naïve', 'a-b']],
  ['^\\W$', ['-', 'é', 'a']],
  // character classes
  ['^[a-z]+$', ['hello', 'Hello', 'héllo']],
  ['^[^a-z]+$', ['ABC', 'abc', '😀']],
  ['^[\\w.-]+/[\\w.-]+$', ['jmespath/jmespath.js', 'a/b/c', 'bad repo/x']],
  ['^[-a]$', ['-', 'a', 'b']],
  ['^[a-]$', ['-', 'a']],
  ['^[a-c-e]$', ['b', '-', 'e', 'd']],
  ['^[\\]\\[]$', [']', '[', 'a']],
  ['^[.]$', ['.', 'a']],
  ['^[\\^]$', ['^', 'a']],
  ['^[$]$', ['$', 'a']],
  ['^[()|*+?{}]+$', ['(|)', '{}', 'a']],
  ['^[\\b]$', ['\b', 'b']],
  ['[]', ['', 'a', '[]']],
  ['^[^]$', ['a', '\n', '😀']],
  ['^[😀-😂]$', ['😀', '😁', '😂', '😃']],
  ['^[à-ÿ]+$', ['éè', 'e']],
  // escapes
  ['^\\u00e9$', ['é', 'e']],
  ['^\\u{1F600}$', ['😀', '😃']],
  ['^\\uD83D\\uDE00$', ['😀', '😃']],
  ['^[\\u0041-\\u005A]+$', ['ABC', 'abc']],
  ['^\\x41\\x7e$', ['A~', 'a~']],
  ['^\\cJ\\ca$', ['\n\u0001', 'x']],
  ['^\\0$', ['\0', '0']],
  ['^\\t\\n\\v\\f\\r$', ['\t\n\v\f\r']],
  ['^\\/\\.\\*\\+\\?\\(\\)\\[\\]\\{\\}\\|\\^\\$\\\\$', ['/.*+?()[]{}|^$\\']],
  ['^[\\-\\/]+$', ['-/', 'a']],
  // quantifiers
  ['^a{2,3}$', ['a', 'aa', 'aaa', 'aaaa']],
  ['^a{2}$', ['aa', 'aaa']],
  ['^a{2,}$', ['a', 'aaaaaa']],
  ['^a*?b+?c??$', ['b', 'aabbc', 'c']],
  ['^(ab)+$', ['abab', 'aba']],
  ['^(?:ab|cd)*$', ['abcdab', 'abc']],
  ['^(?<year>\\d{4})-(?<month>\\d{2})$', ['2024-05', '24-05']],
  // Unicode properties
  ['^\\p{L}+$', ['héllo', 'Ωmega', '日本', '12']],
  ['^\\p{Lu}$', ['É', 'é']],
  ['^\\P{L}+$', ['123', 'a']],
  ['^\\p{Letter}+$', ['abc', '1']],
  ['^\\p{Uppercase_Letter}$', ['A', 'a']],
  ['^\\p{Nd}+$', ['123', '١٢٣', 'x']],
  ['^\\p{Script=Greek}+$', ['αβγ', 'abc']],
  ['^\\p{sc=Han}+$', ['日本', 'abc']],
  ['^\\p{gc=Lu}$', ['A', 'a']],
  ['^[\\p{L}\\p{N}_-]{1,64}$', ['Ünïcode_name-42', 'has space']],
  // astral characters count as one (u mode)
  ['^.{2}$', ['😀😀', '😀', 'ab']],
  ['^😀+$', ['😀😀', '😀a']],
  // what users write
  ['^[^@\\s]+@[^@\\s]+\\.[a-z]{2,}$', ['someone@example.com', 'no at', 'a@b.c', 'a b@c.de']],
  ['^\\+?[1-9]\\d{1,14}$', ['+4915112345678', '0123']],
  ['^#?([a-fA-F0-9]{6}|[a-fA-F0-9]{3})$', ['#ff00AA', 'abc', '#abcd']],
  ['^(x+x+)+y$', ['xxy', 'xxxxxxxxy', 'xxxxxxxxxxxxxxxx']],
];

describe('Patterns mean in the linear-time engine what they mean in JavaScript', () => {
  it.each(TABLE)('%j matches the same inputs in both engines', (pattern, inputs) => {
    const linear = compileLinear(pattern);
    const ref = native(pattern);
    for (const input of inputs) expect([input, linear.test(input)]).toEqual([input, ref.test(input)]);
  });

  it('agrees with JavaScript on random patterns and inputs', () => {
    // Patterns built from the syntax above, over a small alphabet so that inputs hit them.
    const atom = fc.constantFrom('a', 'b', '.', '\\s', '\\S', '\\d', '\\w', '\\W', '[ab]', '[^a]', '[\\s\\d]', '\\u00e9', '😀', ' ', '\u00a0', '\\n', '\\p{L}', '[]', '[^]', '\\b', '^', '$');
    const piece = fc.tuple(atom, fc.constantFrom('', '*', '+', '?', '{1,2}', '*?')).map(([a, q]) => (['^', '$', '\\b'].includes(a) ? a : a + q));
    const seq = fc.array(piece, { minLength: 1, maxLength: 5 }).map((p) => p.join(''));
    const pattern = fc.oneof(seq, fc.tuple(seq, seq).map(([x, y]) => `(?:${x})|${y}`), seq.map((s) => `(${s})+`));
    const input = fc.array(fc.constantFrom('a', 'b', '1', ' ', '\u00a0', '\n', '\r', 'é', '😀', '_', '-'), { maxLength: 8 }).map((c) => c.join(''));
    fc.assert(
      fc.property(pattern, fc.array(input, { minLength: 1, maxLength: 5 }), (p, inputs) => {
        const linear = compileLinear(p);
        const ref = native(p);
        for (const s of inputs) expect([p, s, linear.test(s)]).toEqual([p, s, ref.test(s)]);
      }),
      { numRuns: 500 },
    );
  });

  it('answers the pattern that makes JavaScript backtrack for hours at once, on a 10,000-character input', () => {
    expect(compileLinear('^(x+x+)+y$').test('x'.repeat(10_000))).toBe(false);
    expect(compileLinear('^(a|a)*$').test(`${'a'.repeat(10_000)}!`)).toBe(false);
  });
});

describe('Patterns the linear-time engine cannot run are refused with the reason', () => {
  it.each([
    ['^(?=.*\\d).{8,}$', 'pattern uses a lookahead, which the linear-time engine does not support'],
    ['^(?!admin$)', 'pattern uses a lookahead, which the linear-time engine does not support'],
    ['(?<=\\$)\\d+', 'pattern uses a lookbehind, which the linear-time engine does not support'],
    ['(?<!x)y', 'pattern uses a lookbehind, which the linear-time engine does not support'],
    ['^(a)\\1$', 'pattern uses a backreference (\\1), which the linear-time engine does not support'],
    ['^(?<q>[\'"]).*\\k<q>$', 'pattern uses a backreference (\\k<name>), which the linear-time engine does not support'],
  ])('%j', (pattern, message) => {
    expect(patternProblem(pattern)).toBe(message);
    expect(() => compileLinear(pattern)).toThrow(message);
  });

  it('refuses what RE2 cannot compile, with its reason', () => {
    expect(patternProblem('^x{1001}$')).toMatch(/^pattern cannot run in the linear-time engine \(RE2\): invalid repeat count/);
    expect(patternProblem('\\p{Script_Extensions=Greek}')).toMatch(/Script_Extensions is not supported/);
  });

  it('refuses what is not a JavaScript regular expression, as JSON Schema requires', () => {
    expect(patternProblem('a{')).toMatch(/^pattern is not a valid regular expression/);
    expect(patternProblem('[[:alpha:]]')).toMatch(/^pattern is not a valid regular expression/);
    expect(patternProblem('(?i)abc')).toMatch(/^pattern is not a valid regular expression/);
  });

  it('runs ordinary patterns', () => {
    expect(patternProblem('^[\\w.-]+/[\\w.-]+$')).toBeUndefined();
  });
});

describe("Ajv's code.regExp engine", () => {
  it('returns a matcher whose string form is unique per pattern (Ajv caches compiled patterns by it)', () => {
    expect(String(linearRegExp('^a$', 'u'))).not.toBe(String(linearRegExp('^b$', 'u')));
    expect(linearRegExp('^a$', 'u').test('a')).toBe(true);
    expect(linearRegExp.code).toContain('@weft/linear-regex');
  });
});
