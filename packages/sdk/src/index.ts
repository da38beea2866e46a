export { WeftClient, WeftApiError } from './client';
export type { ClientOptions, LiveRunHandle, Page, ResumeBody } from './client';
