import type { Issue } from '@weft/workflow-schema';

/** Error codes the API answers with, and their HTTP status: the one table of the mapping. */
export const ERROR_STATUS = {
  validation_failed: 400,
  invalid_definition: 400,
  invalid_inputs: 400,
  budget_exceeded: 400,
  unauthorized: 401,
  quota_exceeded: 402,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  idempotency_conflict: 409,
  no_published_version: 409,
  invalid_state: 409,
  workflow_disabled: 409,
  gone: 410,
  already_resolved: 409,
  request_timeout: 408,
  payload_too_large: 413,
  uri_too_long: 414,
  unsupported_media_type: 415,
  upgrade_required: 426,
  rate_limited: 429,
  concurrency_limit: 429,
  headers_too_large: 431,
  unavailable: 503,
  internal: 500,
} as const;
export type ErrorCode = keyof typeof ERROR_STATUS;

/** The problem title of each code (RFC 9457 `title`). */
export const TITLES: Record<ErrorCode, string> = {
  validation_failed: 'The request is not valid',
  invalid_definition: 'The workflow definition is not valid',
  invalid_inputs: 'The run inputs do not match the trigger input schema',
  budget_exceeded: 'A size limit was exceeded',
  unauthorized: 'Authentication required',
  quota_exceeded: "A quota of the org's plan is used up",
  forbidden: 'Not allowed',
  not_found: 'Not found',
  conflict: 'Conflict',
  idempotency_conflict: 'Idempotency key reused with a different request',
  no_published_version: 'The workflow has no published version',
  invalid_state: 'The resource is not in a state that allows this',
  workflow_disabled: 'The workflow is disabled',
  gone: 'Gone',
  already_resolved: 'The approval was already resolved',
  request_timeout: 'The request took too long to arrive',
  payload_too_large: 'Request body too large',
  uri_too_long: 'A path parameter is too long',
  unsupported_media_type: 'Unsupported media type',
  upgrade_required: 'This endpoint is a WebSocket',
  rate_limited: 'Too many requests',
  concurrency_limit: "The org's plan allows no more runs at once",
  headers_too_large: 'Request headers too large',
  unavailable: 'Service unavailable',
  internal: 'Internal error',
};

/** The one error type of the API: a code (→ status, title), a detail, and precise issues. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    detail: string,
    readonly issues?: Issue[],
    /** Members added to the problem body (RFC 9457 extensions), and headers of the answer. */
    readonly more?: { extensions?: Record<string, unknown>; headers?: Record<string, string> },
  ) {
    super(detail);
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }

  get title(): string {
    return TITLES[this.code];
  }
}

export const notFound = (what: string, id: string) => new AppError('not_found', `${what} ${id} was not found`);
