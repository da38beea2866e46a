export { startOrchestrator } from './start';
export type { OrchestratorOptions } from './start';
export { advanceRun } from '@weft/run-core';
export type { OrchestratorResources } from '@weft/run-core';
export { reconcileOnce, type ReconcileCursor } from './reconciler';
export { recoverLostSteps } from './lost-steps';
export { fireDueSchedules, tickSchedules, startScheduler, type SchedulerOptions, type FireResult } from './scheduler';

export { DEFAULT_ORCHESTRATOR_LIMITS } from '@weft/run-core';
export type { OrchestratorLimits } from '@weft/run-core';
export { retentionPass, startRetention, type RetentionOptions, type RetentionPass } from './retention';
