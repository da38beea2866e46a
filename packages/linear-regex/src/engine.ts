import { RE2JS } from 're2js';
import { charge } from './budget';
import { UnsupportedPattern, toRe2 } from './translate';

/**
 * Largest compiled pattern accepted, in RE2 instructions (a counted repetition like `.{500}` counts
 * each repetition): the cost of a check grows with it (see budget.ts). Real-world patterns (e-mail,
 * UUID, phone numbers, slugs) take 10–150.
 */
export const MAX_INSTRUCTIONS = 1000;

/** What Ajv needs from a compiled pattern (`RegExpLike`), plus a stable `toString` (Ajv keys its cache by it). */
export interface LinearRegExp {
  test(input: string): boolean;
  toString(): string;
}

const MAX_CACHED = 500;
const cache = new Map<string, LinearRegExp | UnsupportedPattern>();

/**
 * Compiles an ECMAScript pattern (JSON Schema's dialect) into RE2 (re2js, pure JavaScript), whose
 * matching time is linear in the input: no pattern, however written, can make a test backtrack.
 * Throws `UnsupportedPattern` (plain-words message) for what RE2 cannot run.
 */
export function compileLinear(pattern: string): LinearRegExp {
  let hit = cache.get(pattern);
  if (!hit) {
    hit = build(pattern);
    if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value!);
    cache.set(pattern, hit);
  }
  if (hit instanceof UnsupportedPattern) throw hit;
  return hit;
}

/** Why the linear-time engine refuses `pattern`, or undefined when it runs it. */
export function patternProblem(pattern: string): string | undefined {
  try {
    compileLinear(pattern);
    return undefined;
  } catch (err) {
    if (err instanceof UnsupportedPattern) return err.message;
    throw err;
  }
}

function build(pattern: string): LinearRegExp | UnsupportedPattern {
  try {
    // Only to check the syntax (the dialect is ECMAScript's): compiling runs nothing, so no backtracking.
    // eslint-disable-next-line no-restricted-syntax -- a syntax check, never used to match
    new RegExp(pattern, 'u');
  } catch (err) {
    return new UnsupportedPattern(`pattern is not a valid regular expression: ${(err as Error).message}`);
  }
  let re: RE2JS;
  try {
    re = RE2JS.compile(toRe2(pattern));
  } catch (err) {
    if (err instanceof UnsupportedPattern) return err;
    return new UnsupportedPattern(`pattern cannot run in the linear-time engine (RE2): ${(err as Error).message.replace(/^error parsing regexp: /, '')}`);
  }
  const instructions = re.re2Input.numberOfInstructions() as number;
  if (instructions > MAX_INSTRUCTIONS) {
    return new UnsupportedPattern(`pattern is too large for the linear-time engine: ${instructions.toLocaleString('en-US')} instructions, at most ${MAX_INSTRUCTIONS.toLocaleString('en-US')} (each repetition of a counted repeat like {500} counts)`);
  }
  const source = `/${pattern}/u`;
  return {
    test: (input: string) => {
      charge(input.length, instructions, source);
      return re.test(input);
    },
    toString: () => source,
  };
}

/**
 * Ajv's `code.regExp` engine: `new Ajv({ code: { regExp: linearRegExp } })` makes every `pattern`
 * and `patternProperties` of the schemas it compiles run in RE2. `code` is how Ajv's standalone
 * output imports it (Ajv calls the function with the pattern and its flags, always `u` here).
 */
export const linearRegExp = Object.assign((pattern: string, _flags?: string): LinearRegExp => compileLinear(pattern), {
  code: 'require("@weft/linear-regex").linearRegExp',
});
