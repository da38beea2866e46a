export { startPlatform } from './platform';
export type { Platform } from './platform';
