export { WeftClient, WeftApiError } from './client';
export type { ClientOptions, LiveRunHandle, Page, ResumeBody } from './client';
export { runSmoke, SMOKE_WORKFLOW_NAME, type SmokeOptions, type SmokeResult } from './smoke/smoke';
