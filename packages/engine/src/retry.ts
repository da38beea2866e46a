import type { RetryPolicy, StepError } from '@weft/workflow-schema';

/**
 * Delay before attempt `nextAttempt` (2 = first retry). Exponential backoff uses full jitter
 * (AWS architecture blog: "Exponential Backoff And Jitter"): uniform in [0, min(max, base·2^n)].
 * A server's Retry-After (details.retryAfterMs) is a floor, still bounded by maxDelayMs.
 */
export function retryDelayMs(policy: RetryPolicy, nextAttempt: number, random: number, error?: StepError): number {
  const exp = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** Math.max(0, nextAttempt - 2));
  const base = policy.backoff === 'fixed' ? Math.min(policy.initialDelayMs, policy.maxDelayMs) : Math.floor(random * exp);
  const retryAfter = Number(error?.details?.retryAfterMs);
  return Number.isFinite(retryAfter) && retryAfter > 0 ? Math.max(base, Math.min(retryAfter, policy.maxDelayMs)) : base;
}

/** Whether the failed attempt may be retried under the policy. */
export function shouldRetry(policy: RetryPolicy | undefined, attempt: number, error: StepError): policy is RetryPolicy {
  return !!policy && error.retryable && attempt < policy.maxAttempts;
}
