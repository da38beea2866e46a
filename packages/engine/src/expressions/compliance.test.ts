import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkSyntax, evaluate, ExpressionError } from './jmespath';

/*
 * The compliance suite of the original JMESPath specification (jmespath/jmespath.test), vendored
 * in packages/engine/testdata/jmespath (origin and license: its README; override: WEFT_JMESPATH_TESTDATA).
 * One vitest case per compliance case. A missing or truncated folder fails, never skips.
 */

const EXPECTED_CASES = 892;

interface ComplianceCase {
  file: string;
  number: number;
  given: unknown;
  expression: string;
  result?: unknown;
  error?: string;
}

const VENDORED = fileURLToPath(new URL('../../testdata/jmespath', import.meta.url));

function loadSuite(): { folder: string; files: [string, ComplianceCase[]][]; problem?: string } {
  const folder = process.env.WEFT_JMESPATH_TESTDATA ?? VENDORED;
  if (!existsSync(folder)) {
    return { folder, files: [], problem: `JMESPath compliance folder not found: ${folder} (set WEFT_JMESPATH_TESTDATA)` };
  }
  const names = readdirSync(folder).filter((name) => name.endsWith('.json')).sort();
  const files = names.map((file): [string, ComplianceCase[]] => {
    const suites = JSON.parse(readFileSync(path.join(folder, file), 'utf8')) as {
      given: unknown;
      cases: { expression: string; result?: unknown; error?: string }[];
    }[];
    let number = 0;
    const cases = suites.flatMap((suite) =>
      suite.cases.map((c) => ({ file, number: ++number, given: suite.given, ...c })),
    );
    return [file, cases];
  });
  return { folder, files };
}

/** A deep copy that fails on anything JSON cannot hold and reads -0 as 0 (JSON has one zero). */
function asJson(value: unknown): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`not a JSON number: ${value}`);
    return value === 0 ? 0 : value;
  }
  if (Array.isArray(value)) return value.map(asJson);
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, asJson(v)]));
  }
  throw new Error(`not a JSON value: ${String(value)}`);
}

const suite = loadSuite();
const shorten = (text: string) => (text.length > 80 ? `${text.slice(0, 77)}...` : text);

describe('JMESPath compliance suite', () => {
  it(`holds all ${EXPECTED_CASES} cases of the specification`, () => {
    if (suite.problem) throw new Error(suite.problem);
    const total = suite.files.reduce((n, [, cases]) => n + cases.length, 0);
    expect(total, `cases found in ${suite.folder}`).toBe(EXPECTED_CASES);
  });

  describe.each(suite.files)('%s', (_file, cases) => {
    it.each(cases.map((c) => [`${c.file} #${c.number}: ${shorten(c.expression)}`, c] as const))('%s', (_name, c) => {
      if (c.error === undefined) {
        expect(checkSyntax(c.expression)).toEqual({ ok: true });
        expect(asJson(evaluate(c.expression, c.given))).toStrictEqual(c.result);
        return;
      }
      let thrown: unknown;
      try {
        evaluate(c.expression, c.given);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(ExpressionError);
      expect((thrown as ExpressionError).kind).toBe(c.error);
      // Publishing catches syntax errors and calls no data can fix; the rest need the data.
      const staticKinds = ['syntax', 'unknown-function', 'invalid-arity'];
      const check = checkSyntax(c.expression);
      if (staticKinds.includes(c.error)) expect(check).toMatchObject({ ok: false, kind: c.error });
      else expect(check).toEqual({ ok: true });
    });
  });
});
