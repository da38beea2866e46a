import type { BucketCheck, BucketState } from './token-buckets';

/**
 * The window of a policy for the RateLimit-Policy field: the seconds an empty bucket takes to fill
 * (a token bucket of `burst` refilled at `rate` allows `burst` requests per that window at most).
 */
export const windowSeconds = (c: BucketCheck) => Math.max(1, Math.ceil(c.policy.burst / c.policy.rate));

/**
 * `RateLimit-Policy` (draft-ietf-httpapi-ratelimit-headers-09/10): one quota policy item per bucket,
 * e.g. `"key";q=10000;w=2, "org-runs";q=10000;w=2`.
 */
export const policyField = (checks: readonly BucketCheck[]) => checks.map((c) => `"${c.name}";q=${Math.floor(c.policy.burst)};w=${windowSeconds(c)}`).join(', ');

/**
 * `RateLimit`: what is left of each policy, `r` whole requests, `t` seconds until the bucket is
 * full again, e.g. `"key";r=9999;t=1`.
 */
export const limitField = (checks: readonly BucketCheck[], states: readonly BucketState[]) =>
  checks.map((c, i) => `"${c.name}";r=${Math.max(0, states[i]!.remaining)};t=${Math.ceil(states[i]!.resetMs / 1000)}`).join(', ');

/** `Retry-After` of a refused request: whole seconds until every bucket holds a token again (at least 1). */
export const retryAfterSeconds = (states: readonly BucketState[]) => Math.max(1, ...states.map((s) => Math.ceil(s.retryMs / 1000)));
