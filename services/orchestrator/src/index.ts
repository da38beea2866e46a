export { startOrchestrator } from './start';
export type { OrchestratorOptions } from './start';
export { advanceRun, type OrchestratorResources } from './advance-run';
export { reconcileOnce, type ReconcileCursor } from './reconciler';
export { recoverLostSteps } from './lost-steps';
export { fireDueSchedules, tickSchedules, startScheduler, type SchedulerOptions, type FireResult } from './scheduler';

export { DEFAULT_ORCHESTRATOR_LIMITS } from './limits';
export type { OrchestratorLimits } from './limits';
