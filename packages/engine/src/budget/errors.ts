/** Numbers in messages, grouped so that 100000000 and 1000000 can be told apart at a glance. */
export const count = (n: number): string => n.toLocaleString('en-US');

/**
 * A budget or size limit was exceeded: a step's expression built too much or worked too long,
 * a value is too big to store, a loop has too many items. It fails that step (or refuses that
 * request), never the process. Not retryable: the same work on the same data exceeds it again.
 */
export class BudgetExceededError extends Error {
  readonly code = 'budget_exceeded';
  readonly retryable = false;
  /** The setting that raises the limit, e.g. `WEFT_MAX_STRING_CHARS`. */
  readonly limit: string;
  readonly max: number;
  /** What was asked for (at least this much; a walk stops once past the limit). */
  readonly actual: number;
  /** The expression as written, when the limit was hit while evaluating one. */
  readonly expression: string | undefined;
  /** Where the template sits in a config value (`headers.Authorization`), if in one. */
  readonly path: string | undefined;

  constructor(args: { limit: string; max: number; actual: number; message: string; expression?: string; path?: string }) {
    super(args.message);
    this.name = 'BudgetExceededError';
    this.limit = args.limit;
    this.max = args.max;
    this.actual = args.actual;
    this.expression = args.expression;
    this.path = args.path;
  }

  /** The same error, naming the expression it happened in (kept if already named). */
  in(expression: string): BudgetExceededError {
    if (this.expression !== undefined) return this;
    return new BudgetExceededError({ ...this.fields(), expression, ...(this.path === undefined ? {} : { path: this.path }) });
  }

  /** The same error, located at `path` of a config value. */
  at(path: string): BudgetExceededError {
    return new BudgetExceededError({ ...this.fields(), path, ...(this.expression === undefined ? {} : { expression: this.expression }) });
  }

  /** What a step error carries in `details`. */
  get details(): { limit: string; max: number; actual: number; expression?: string; path?: string } {
    return {
      limit: this.limit,
      max: this.max,
      actual: this.actual,
      ...(this.expression === undefined ? {} : { expression: this.expression }),
      ...(this.path === undefined ? {} : { path: this.path }),
    };
  }

  private fields() {
    return { limit: this.limit, max: this.max, actual: this.actual, message: this.message };
  }
}

/** "<what> <verb> <n> <unit>; the limit is <max> (<SETTING>)": every budget message reads the same. */
export function exceeded(setting: string, max: number, actual: number, what: string): BudgetExceededError {
  return new BudgetExceededError({ limit: setting, max, actual, message: `${what}; the limit is ${count(max)} (${setting})` });
}
