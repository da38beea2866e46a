import { BudgetExceededError, DEFAULT_LIMITS, type Limits } from '@weft/engine';

/** What the orchestrator holds runs to (README "Budgets and limits"); from its env.ts, defaults in tests. */
export interface OrchestratorLimits {
  /** Budget of each step's expressions and templates, and size of the values it stores. */
  evaluation: Readonly<Limits>;
  /** Items of one for_each node. */
  maxForEachItems: number;
  /** Iterations one run may start, nested loops counted once per item of the loops around them. */
  maxIterationsPerRun: number;
  /** for_each inside for_each bodies. */
  maxLoopDepth: number;
  /** sub_workflow runs inside sub_workflow runs (a run and its child: 2). */
  maxSubWorkflowDepth: number;
}

export const DEFAULT_ORCHESTRATOR_LIMITS: Readonly<OrchestratorLimits> = Object.freeze({
  evaluation: DEFAULT_LIMITS,
  maxForEachItems: 100_000,
  maxIterationsPerRun: 1_000_000,
  maxLoopDepth: 4,
  maxSubWorkflowDepth: 10,
});

/** The settings of the limits above, named in their errors. */
export const SETTINGS = {
  maxForEachItems: 'WEFT_MAX_FOREACH_ITEMS',
  maxIterationsPerRun: 'WEFT_MAX_ITERATIONS_PER_RUN',
  maxLoopDepth: 'WEFT_MAX_LOOP_DEPTH',
  maxSubWorkflowDepth: 'WEFT_MAX_SUBWORKFLOW_DEPTH',
} as const satisfies Record<Exclude<keyof OrchestratorLimits, 'evaluation'>, string>;

/** A run-shape limit was passed: `what` says by how much; the message names the limit and its setting. */
export function overLimit(setting: keyof typeof SETTINGS, limits: OrchestratorLimits, actual: number, what: string): BudgetExceededError {
  const max = limits[setting];
  return new BudgetExceededError({ limit: SETTINGS[setting], max, actual, message: `${what}; the limit is ${max.toLocaleString('en-US')} (${SETTINGS[setting]})` });
}
