export { WeftClient, WeftApiError } from './client';
export type { ClientOptions, Page, ResumeBody } from './client';
