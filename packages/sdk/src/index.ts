export { WeftClient, WeftApiError } from './client';
export type { BulkRunActionRequest, ClientOptions, LiveRunHandle, Page, ResumeBody } from './client';
export { runSmoke, SMOKE_WORKFLOW_NAME, type SmokeOptions, type SmokeResult } from './smoke/smoke';
