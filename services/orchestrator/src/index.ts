export { startOrchestrator } from './start';
export type { OrchestratorOptions } from './start';
export { advanceRun, type OrchestratorResources } from './advance-run';
export { reconcileOnce } from './reconciler';

