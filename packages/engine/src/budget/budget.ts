import { count, exceeded } from './errors';
import { DEFAULT_LIMITS, LIMIT_SETTINGS, type Limits } from './limits';

/** Bytes an array element or object entry is charged (a pointer, roughly). */
export const SLOT_BYTES = 8;

/**
 * What one step may still spend on evaluating expressions and templates: its limits (data) and
 * what it has spent so far. One per step: every evaluation given the same budget draws from it,
 * so a step cannot escape its budget by evaluating many templates, nor a for_each run in place
 * by having many items. Pure: no clock, no I/O; exceeding a limit throws BudgetExceededError.
 */
export class Budget {
  /** Steps taken so far (expression nodes visited, elements and characters handled by functions). */
  steps = 0;
  /** Bytes built so far (approximate: one per string character, eight per array element or object entry). */
  bytes = 0;
  /** Copied out of `limits`: read on every node visit. */
  readonly maxSteps: number;

  constructor(readonly limits: Readonly<Limits> = DEFAULT_LIMITS) {
    this.maxSteps = limits.maxEvaluationSteps;
  }

  /** Charges `n` steps of work done by `what` (a function, a projection). */
  work(n: number, what: string): void {
    this.steps += n;
    if (this.steps > this.maxSteps) this.outOfSteps(what);
  }

  /** Called when a visit pushed `steps` past the limit. */
  outOfSteps(what: string): never {
    const max = this.maxSteps;
    throw exceeded(LIMIT_SETTINGS.maxEvaluationSteps, max, this.steps, `the expressions of this step take more than ${count(max)} evaluation steps (stopped in ${what})`);
  }

  /**
   * A string of `length` characters is about to be built by `what`. Refused before it exists if
   * it passes the limit and is longer than every string `what` read (`read`): the limits bound
   * what an expression adds, not what it reads (that is bounded by the value limits already).
   * Charged as memory either way.
   */
  string(length: number, what: string, read = 0): void {
    const max = this.limits.maxStringChars;
    if (length > max && length > read) throw exceeded(LIMIT_SETTINGS.maxStringChars, max, length, `${what} would build a string of ${count(length)} characters`);
    this.spend(length, what);
  }

  /**
   * A string being built in pieces (a template's text) reaches `total` characters with `added`
   * more: refused once it passes the string limit; only what is added is charged.
   */
  grow(total: number, added: number, what: string): void {
    const max = this.limits.maxStringChars;
    if (total > max) throw exceeded(LIMIT_SETTINGS.maxStringChars, max, total, `${what} would build a string of at least ${count(total)} characters`);
    this.spend(added, what);
  }

  /**
   * An array (or an object: `kind`) of `length` elements (entries) is about to be built by
   * `what`; held to the limit only if bigger than every array or object it read (`read`), as strings are.
   */
  array(length: number, what: string, kind: 'array' | 'object' = 'array', read = 0): void {
    const max = this.limits.maxArrayElements;
    if (length > max && length > read) {
      const shape = kind === 'array' ? `an array of ${count(length)} elements` : `an object of ${count(length)} entries`;
      throw exceeded(LIMIT_SETTINGS.maxArrayElements, max, length, `${what} would build ${shape}`);
    }
    this.spend(length * SLOT_BYTES, what);
  }

  private spend(bytes: number, what: string): void {
    this.bytes += bytes;
    const max = this.limits.maxEvaluationBytes;
    if (this.bytes > max) {
      throw exceeded(LIMIT_SETTINGS.maxEvaluationBytes, max, this.bytes, `the expressions of this step would build about ${count(this.bytes)} bytes in total (stopped in ${what})`);
    }
  }
}
