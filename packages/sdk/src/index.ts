export { WeftClient, WeftApiError } from './client';
export type { ClientOptions, Page } from './client';
