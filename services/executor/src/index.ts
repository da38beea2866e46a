export { startExecutor } from './start';
export type { ExecutorOptions } from './start';
export { AddressPolicy } from './http/address-policy';
export { DEFAULT_INTEGRATION_URLS } from './processors';
export type { IntegrationUrls } from './processors';
