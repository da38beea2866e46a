export { buildApp } from './app';
export type { AppOptions } from './app';
export { bootstrapOrg } from './bootstrap';
export { generateApiKey, hashApiKey } from './plugins/auth';
export type { Resources } from './resources';
