import { describe, expect, it } from 'vitest';
import { checkSyntax, evaluate, ExpressionError } from './jmespath';
import { LruCache } from './lru';
import { referencedRoots, WHOLE_CONTEXT } from './roots';

function errorOf(fn: () => unknown): ExpressionError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ExpressionError) return error;
    throw error;
  }
  throw new Error('expected an ExpressionError');
}

describe('evaluate', () => {
  const context = { input: { doc: { name: 'Ada', n: 3 } }, steps: { a: { output: [1, 2, 3] } } };

  it('reads paths of the run context and yields null for missing ones', () => {
    expect(evaluate('input.doc.name', context)).toBe('Ada');
    expect(evaluate('steps.a.output[-1]', context)).toBe(3);
    expect(evaluate('input.nothing.here', context)).toBeNull();
  });

  it('gives the same result when an expression is evaluated again from the cache', () => {
    expect(evaluate('length(steps.a.output)', context)).toBe(3);
    expect(evaluate('length(steps.a.output)', { steps: { a: { output: [] } } })).toBe(0);
  });

  it('only sees own properties, so a JSON object without "constructor" yields null', () => {
    expect(evaluate('constructor', {})).toBeNull();
    expect(evaluate('toString', { a: 1 })).toBeNull();
    expect(evaluate('__proto__', {})).toBeNull();
    expect(evaluate('let $x = @ in constructor', {})).toBeNull();
    expect(evaluate('constructor', JSON.parse('{"constructor": 1}'))).toBe(1);
    expect(evaluate('"__proto__".a', JSON.parse('{"__proto__": {"a": 2}}'))).toBe(2);
  });

  it('keeps backslashes in raw strings except before a quote, as the specification does', () => {
    expect(evaluate(String.raw`'\\'`, null)).toBe('\\\\');
    expect(evaluate(String.raw`'a\'b'`, null)).toBe("a'b");
    expect(evaluate(String.raw`'\n'`, null)).toBe('\\n');
    expect(evaluate(String.raw`'\\\''`, null)).toBe("\\\\'");
  });

  it('unescapes every backtick of a JSON literal and accepts whitespace around it', () => {
    expect(evaluate('`"a\\`b\\`c"`', null)).toBe('a`b`c');
    expect(evaluate('` true `', null)).toBe(true);
  });

  it('reads a minus after digits as its own token instead of dropping it', () => {
    expect(checkSyntax('a[1-1]')).toMatchObject({ ok: false, kind: 'syntax' });
  });

  it('supports the JMESPath Community extensions the library adds', () => {
    expect(evaluate('a + b', { a: 1, b: 2 })).toBe(3);
    expect(evaluate('items[*].[$.factor]', { factor: 2, items: [1] })).toEqual([[2]]);
    expect(evaluate('let $n = `2` in $n', null)).toBe(2);
  });

  it('raises a syntax error with the expression and the offset when the position is known', () => {
    const error = errorOf(() => evaluate('foo[#]', {}));
    expect(error).toMatchObject({ code: 'expression_error', kind: 'syntax', expression: 'foo[#]', offset: 4, retryable: false });
    expect(errorOf(() => evaluate("'abc", {}))).toMatchObject({ kind: 'syntax', offset: 0 });
    expect(errorOf(() => evaluate('a.', {}))).toMatchObject({ kind: 'syntax' });
  });

  it('classifies evaluation errors by the kind of the specification', () => {
    expect(errorOf(() => evaluate('abs(name)', { name: 'x' })).kind).toBe('invalid-type');
    expect(errorOf(() => evaluate('abs(`1`, `2`)', {})).kind).toBe('invalid-arity');
    expect(errorOf(() => evaluate('nope(@)', {})).kind).toBe('unknown-function');
    expect(errorOf(() => evaluate('@[::0]', [])).kind).toBe('invalid-value');
    expect(errorOf(() => evaluate('`1` / `0`', {})).kind).toBe('invalid-value');
    expect(errorOf(() => evaluate('$undefined', {})).kind).toBe('runtime');
  });

  it('explains that an unquoted identifier with a dash is a subtraction', () => {
    const error = errorOf(() => evaluate('headers.content-type', { headers: {} }));
    expect(error.kind).toBe('invalid-type');
    expect(error.message).toContain('"content-type"');
  });
});

describe('checkSyntax', () => {
  it('accepts valid expressions', () => {
    expect(checkSyntax('input.items[?price > `10`].name | sort(@)')).toEqual({ ok: true });
  });

  it('reports syntax errors with a message', () => {
    const check = checkSyntax('foo.[');
    expect(check.ok).toBe(false);
    expect(check).toMatchObject({ kind: 'syntax', message: expect.stringMatching(/syntax/i) });
  });

  it('reports unknown functions and wrong argument counts, which no data can fix', () => {
    expect(checkSyntax('lenght(@)')).toEqual({ ok: false, kind: 'unknown-function', message: 'Unknown function: lenght()' });
    expect(checkSyntax('length(@, @)')).toMatchObject({ ok: false, kind: 'invalid-arity' });
    expect(checkSyntax('not_null()')).toMatchObject({ ok: false, kind: 'invalid-arity' });
    expect(checkSyntax('not_null(a, b, c)')).toEqual({ ok: true });
    expect(checkSyntax("pad_left('a', `3`)")).toEqual({ ok: true });
  });
});

describe('referencedRoots', () => {
  it('lists the top-level context keys an expression reads', () => {
    expect(referencedRoots('secrets.TOKEN')).toEqual(new Set(['secrets']));
    expect(referencedRoots("join(',', [input.a, secrets.B])")).toEqual(new Set(['input', 'secrets']));
    expect(referencedRoots('sort_by(input.items, &price)[0].name')).toEqual(new Set(['input']));
    expect(referencedRoots('steps.a.output[?id == run.id]')).toEqual(new Set(['steps']));
    expect(referencedRoots('let $s = secrets in $s.A')).toEqual(new Set(['secrets']));
  });

  it('reports the whole context when the expression can reach any key', () => {
    expect(referencedRoots('@')).toEqual(new Set([WHOLE_CONTEXT]));
    expect(referencedRoots('*.TOKEN')).toEqual(new Set([WHOLE_CONTEXT]));
    expect(referencedRoots('input.a || $.secrets.B')).toEqual(new Set(['input', WHOLE_CONTEXT]));
  });
});

describe('LruCache', () => {
  it('never holds more than its capacity and keeps entries that are used', () => {
    const cache = new LruCache<number, number>(4);
    cache.set(1, 1);
    for (let i = 2; i <= 10; i += 1) {
      cache.set(i, i);
      expect(cache.get(1)).toBe(1);
      expect(cache.size).toBeLessThanOrEqual(4);
    }
    expect(cache.get(2)).toBeUndefined();
  });
});
