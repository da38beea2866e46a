/*
 * The run core: `decide` (pure: snapshot, graph, env → plan) and the store adapter that applies a
 * plan (transition/). Both services use it: the orchestrator for every transition, the executor to
 * settle a step where it ran (transition/settle-in-place.ts).
 */
export * from './decide';
export { advanceRun } from './transition/advance-run';
export { recordTransition } from './transition/metrics';
export type { OrchestratorResources, TransitionResult } from './transition/resources';
export { settleInPlace } from './transition/settle-in-place';
export type { EagerClaim, KnownRun, KnownStep, SettleOutcome, SettleResources, SettlingStep } from './transition/settle-in-place';
export { GuardedWrites } from './transition/guarded-writes';
