import type { Issue } from '@weft/workflow-schema';

/** What the ingress answers with, and the status of each: the one table of the mapping. */
export const INGRESS_STATUS = {
  invalid_payload: 400,
  invalid_inputs: 400,
  budget_exceeded: 400,
  invalid_signature: 401,
  quota_exceeded: 402,
  not_found: 404,
  no_published_version: 409,
  workflow_disabled: 409,
  gone: 410,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  concurrency_limit: 429,
  unavailable: 503,
  internal: 500,
} as const;
export type IngressCode = keyof typeof INGRESS_STATUS;

/** A refusal of a delivery: a code (→ status), a detail, optional issues and a Retry-After. */
export class IngressError extends Error {
  constructor(
    readonly code: IngressCode,
    detail: string,
    readonly issues?: Issue[],
    readonly retryAfterSeconds?: number,
    /** Members added to the problem body (a quota refusal: quota, plan, limit, used, resetsAt). */
    readonly extensions?: Record<string, unknown>,
  ) {
    super(detail);
  }

  get status(): number {
    return INGRESS_STATUS[this.code];
  }

  /** RFC 9457 problem+json body. */
  problem(instance: string) {
    return { ...this.extensions, type: `https://weft.dev/problems/${this.code}`, title: this.code.replaceAll('_', ' '), status: this.status, detail: this.message, code: this.code, instance, ...(this.issues ? { errors: this.issues } : {}) };
  }
}
