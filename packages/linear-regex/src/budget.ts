/**
 * How much matching one validation may do.
 *
 * RE2 is linear in the input, but the constant is the pattern's size: a check costs about
 * (characters) × (instructions of the compiled pattern), with a floor per character (re2js handles
 * 5–7 MB/s on simple patterns, a hundred times less than the backtracking engine on easy input).
 * Without a bound, one request of 5 MB of strings against a few patterns would hold the gateway for
 * seconds. So each check is charged length × max(instructions, MIN_WEIGHT), and a validation that
 * runs over its budget stops with `PatternBudgetExceeded` (a 400 on the gateway).
 */

/** Work units one validation may spend: about 0.3 s of matching on a slow core. */
export const PATTERN_WORK_BUDGET = 100_000_000;
/** Every character costs at least this much, however small the pattern (the per-character floor). */
export const MIN_WEIGHT = 100;

/** A validation checked more text against its patterns than its budget allows. */
export class PatternBudgetExceeded extends Error {
  override readonly name = 'PatternBudgetExceeded';
}

let remaining = Number.POSITIVE_INFINITY;

/**
 * Runs `fn` (a synchronous validation) with a matching budget: every pattern test inside it is
 * charged, and the one that goes over throws `PatternBudgetExceeded`. Outside such a call tests
 * are not limited (they are code's own, e.g. tests).
 */
export function withPatternBudget<T>(fn: () => T, units = PATTERN_WORK_BUDGET): T {
  const saved = remaining;
  remaining = units;
  try {
    return fn();
  } finally {
    remaining = saved;
  }
}

/** Charges one test of `length` characters against a pattern of `instructions`. */
export function charge(length: number, instructions: number, pattern: string): void {
  remaining -= Math.max(length, 1) * Math.max(instructions, MIN_WEIGHT);
  if (remaining < 0) {
    remaining = Number.NEGATIVE_INFINITY; // every later test of this validation fails too
    throw new PatternBudgetExceeded(
      `the inputs hold more text than the input schema's patterns may check in one request (the last was ${length.toLocaleString('en-US')} characters against ${pattern}): about 1,000,000 characters for a simple pattern, fewer for a larger one`,
    );
  }
}
