/**
 * What went wrong in an expression. The first five are the error names of the JMESPath
 * specification's compliance suite; `runtime` covers anything else (undefined variable, ...);
 * `too-deep` is an expression nested past what the engine evaluates (checkSyntax only: at run
 * time that is a BudgetExceededError).
 */
export type ExpressionErrorKind =
  | 'syntax'
  | 'invalid-type'
  | 'invalid-value'
  | 'invalid-arity'
  | 'unknown-function'
  | 'runtime'
  | 'too-deep';

/**
 * A JMESPath expression or template that cannot be compiled or evaluated.
 * Never retryable: the same expression on the same data fails the same way.
 */
export class ExpressionError extends Error {
  readonly code = 'expression_error';
  readonly retryable = false;
  readonly kind: ExpressionErrorKind;
  /** The expression as written by the user. */
  readonly expression: string;
  /** Character offset in `expression`, when the position is known. */
  readonly offset: number | undefined;
  /** Where the failing template sits in a config value (`headers.Authorization`), if in one. */
  readonly path: string | undefined;

  constructor(
    kind: ExpressionErrorKind,
    message: string,
    expression: string,
    options: { offset?: number; path?: string; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ExpressionError';
    this.kind = kind;
    this.expression = expression;
    this.offset = options.offset;
    this.path = options.path;
  }

  /** The same error, located at `path` of a config value. */
  at(path: string): ExpressionError {
    const located = new ExpressionError(this.kind, this.message, this.expression, {
      path,
      cause: this.cause,
      ...(this.offset === undefined ? {} : { offset: this.offset }),
    });
    return located;
  }
}

// The library throws plain `Error`s; their message prefixes are the only stable signal of the
// error class (checked against every error case of the compliance suite).
const MESSAGE_KINDS: readonly [RegExp, ExpressionErrorKind][] = [
  [/^syntax/i, 'syntax'],
  [/^invalid[ -]type/i, 'invalid-type'],
  [/^invalid[ -]arity/i, 'invalid-arity'],
  [/^unknown function/i, 'unknown-function'],
  [/^invalid[ -]value/i, 'invalid-value'],
  // Arithmetic (a JMESPath Community extension): dividing by zero is a bad value, a non-number
  // operand a bad type.
  [/^not-a-number: divide by zero/, 'invalid-value'],
  [/^not-a-number/, 'invalid-type'],
];

const ARITHMETIC_HINT =
  'arithmetic on a value that is not a number (an identifier with "-" must be quoted: "content-type")';

/** Wraps whatever the library threw while evaluating `expression` into an ExpressionError. */
export function evaluationError(error: unknown, expression: string): ExpressionError {
  if (error instanceof ExpressionError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const kind = MESSAGE_KINDS.find(([pattern]) => pattern.test(message))?.[1] ?? 'runtime';
  const shown = message.startsWith('not-a-number') && kind === 'invalid-type' ? ARITHMETIC_HINT : message;
  return new ExpressionError(kind, shown, expression, { cause: error });
}

/** Wraps whatever the library threw while compiling `expression`: always a syntax error. */
export function syntaxError(error: unknown, expression: string): ExpressionError {
  if (error instanceof ExpressionError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new ExpressionError('syntax', message, expression, { cause: error });
}
