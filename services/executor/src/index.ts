export { startExecutor } from './start';
export type { ExecutorOptions } from './start';
export { AddressPolicy } from './http/address-policy';
export { DEFAULT_INTEGRATION_URLS } from './processors';
export type { IntegrationUrls, Processors } from './processors';
export { executeStep } from './execute-step';
export type { ExecutorResources } from './resources';
export { StepLeases } from './leases';
export { releaseSteps } from './release';
