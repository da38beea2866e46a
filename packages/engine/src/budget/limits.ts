/**
 * The limits every evaluation and every stored value runs under (README "Budgets and limits").
 * Plain data: services read them from their environment (each `env.ts`) and hand them to the
 * engine in a Budget; the engine never reads the environment itself.
 */
export interface Limits {
  /** Longest string an expression or template may build (characters). */
  maxStringChars: number;
  /** Most elements of an array, or entries of an object, an expression may build. */
  maxArrayElements: number;
  /**
   * Memory one budget (one step) may build in total, approximately (bytes: one per string
   * character, eight per array element or object entry). Strings and arrays only read are free.
   */
  maxEvaluationBytes: number;
  /**
   * Work one budget (one step) may do: expression nodes visited, plus elements handled and
   * 16-character blocks scanned by functions.
   */
  maxEvaluationSteps: number;
  /** Largest step output, run input or run output, serialized as JSON (bytes). */
  maxValueBytes: number;
  /** Deepest nesting of arrays and objects in a step output, run input or run output (levels). */
  maxValueDepth: number;
}

export const DEFAULT_LIMITS: Readonly<Limits> = Object.freeze({
  maxStringChars: 1_000_000,
  maxArrayElements: 200_000,
  maxEvaluationBytes: 64 * 1024 * 1024,
  maxEvaluationSteps: 10_000_000,
  maxValueBytes: 16 * 1024 * 1024,
  maxValueDepth: 128,
});

/** The environment variable that sets each limit, named in every budget error so an operator knows what to raise. */
export const LIMIT_SETTINGS: Readonly<Record<keyof Limits, string>> = Object.freeze({
  maxStringChars: 'WEFT_MAX_STRING_CHARS',
  maxArrayElements: 'WEFT_MAX_ARRAY_ELEMENTS',
  maxEvaluationBytes: 'WEFT_MAX_EVALUATION_BYTES',
  maxEvaluationSteps: 'WEFT_MAX_EVALUATION_STEPS',
  maxValueBytes: 'WEFT_MAX_VALUE_BYTES',
  maxValueDepth: 'WEFT_MAX_VALUE_DEPTH',
});

/**
 * The deepest expression the engine compiles (brackets, JSON literals and operator chains):
 * the parser, the interpreter and every walk over a compiled expression recurse once per level,
 * so this bound keeps them far from the stack's end. Not a setting: no real expression is near it.
 */
export const MAX_EXPRESSION_NESTING = 256;
