export { startOrchestrator } from './start';
export type { OrchestratorOptions } from './start';
export { advanceRun } from './transition/advance-run';
export type { OrchestratorResources } from './transition/resources';
export { reconcileOnce, type ReconcileCursor } from './reconciler';
export { recoverLostSteps } from './lost-steps';
export { fireDueSchedules, tickSchedules, startScheduler, type SchedulerOptions, type FireResult } from './scheduler';

export { DEFAULT_ORCHESTRATOR_LIMITS } from './decide';
export type { OrchestratorLimits } from './decide';
