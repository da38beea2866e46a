import { z } from 'zod';

/** A count or size that must be at least 1 (a limit of 0 would refuse everything). */
const limit = (fallback: number) => z.coerce.number().int().min(1).default(fallback);

/**
 * Limits of every stored value (README "Budgets and limits"): services that accept run inputs,
 * write step outputs or run outputs. A value past them is refused (400) or fails its step
 * (`budget_exceeded`).
 */
export const valueLimitsEnv = {
  /** Largest step output, run input or run output, serialized as JSON (bytes). */
  WEFT_MAX_VALUE_BYTES: limit(16 * 1024 * 1024),
  /** Deepest nesting of arrays and objects in a step output, run input or run output (levels). */
  WEFT_MAX_VALUE_DEPTH: limit(128),
};

/**
 * Budget of the expressions and templates one step evaluates (orchestrator and executors).
 * Exceeding it fails that step with `budget_exceeded`, naming the limit, never the process.
 */
export const evaluationLimitsEnv = {
  /** Longest string an expression or template may build, past the strings it reads (characters). */
  WEFT_MAX_STRING_CHARS: limit(1_000_000),
  /** Largest array (elements) or object (entries) an expression may build, past the ones it reads. */
  WEFT_MAX_ARRAY_ELEMENTS: limit(200_000),
  /** Memory one step's expressions may build in total (bytes, approximate: 1 per character, 8 per element or entry). */
  WEFT_MAX_EVALUATION_BYTES: limit(64 * 1024 * 1024),
  /** Work one step's expressions may do (steps: expression nodes visited, elements and 16-character blocks handled by functions). */
  WEFT_MAX_EVALUATION_STEPS: limit(10_000_000),
};

type ValueLimitsEnv = { [K in keyof typeof valueLimitsEnv]: number };
type EvaluationLimitsEnv = { [K in keyof typeof evaluationLimitsEnv]: number };

/** The value limits in the engine's terms (`Limits` of @weft/engine). */
export function valueLimits(env: ValueLimitsEnv) {
  return { maxValueBytes: env.WEFT_MAX_VALUE_BYTES, maxValueDepth: env.WEFT_MAX_VALUE_DEPTH };
}

/** Every limit of a step's evaluation in the engine's terms (`Limits` of @weft/engine). */
export function evaluationLimits(env: ValueLimitsEnv & EvaluationLimitsEnv) {
  return {
    ...valueLimits(env),
    maxStringChars: env.WEFT_MAX_STRING_CHARS,
    maxArrayElements: env.WEFT_MAX_ARRAY_ELEMENTS,
    maxEvaluationBytes: env.WEFT_MAX_EVALUATION_BYTES,
    maxEvaluationSteps: env.WEFT_MAX_EVALUATION_STEPS,
  };
}
