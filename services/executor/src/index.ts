export { startExecutor } from './start';
export type { ExecutorOptions } from './start';
export { AddressPolicy } from './http/address-policy';
