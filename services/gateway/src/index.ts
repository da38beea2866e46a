export { buildApp } from './app';
export type { AppOptions } from './app';
export { bootstrapOrg } from './bootstrap';
export { syncPlatformAdmins } from './features/auth/platform-admins';
export { generateApiKey, hashApiKey, type Principal } from './auth/api-keys';
export { ROLE_PERMISSIONS, PERMISSIONS, type Permission } from '@weft/workflow-schema';
export type { Resources } from './resources';
