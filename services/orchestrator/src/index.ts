export { startOrchestrator } from './start';
export type { OrchestratorOptions } from './start';
export { advanceRun } from './advance-run';
export { reconcileOnce } from './reconciler';

