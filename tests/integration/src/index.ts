export { startPlatform } from './platform';
export type { Platform } from './platform';
export { seedRunRows } from './seed-run-rows';
export type { SeededRows } from './seed-run-rows';
export { signInByMagicLink, type TestSession } from './session-http';
