import type { Permission } from '@weft/workflow-schema';

/**
 * The token buckets a request can draw from, each with its own partition: `ip` and `sign-in` per
 * client address, `key` per principal (an API key today, a session's user later), `org-runs` and
 * `org-reads` per org. Their names are the policy names of the RateLimit headers.
 */
export const BUCKETS = ['ip', 'sign-in', 'key', 'org-runs', 'org-reads'] as const;
export type BucketName = (typeof BUCKETS)[number];

/** A bucket of `burst` tokens refilled at `rate` tokens per second; a request takes one. Rate 0: no limit. */
export interface BucketPolicy {
  rate: number;
  burst: number;
}
export type RateLimitPolicies = Record<BucketName, BucketPolicy>;

/**
 * Defaults (README "Rate limits"): one key sustains 5,000 requests/s, well above the 2,000/s the
 * benchmarks and outside checks send with one key; an org's run creations and reads get as much
 * in all its keys. Public routes are limited per address; sign-in routes much more tightly.
 */
export const DEFAULT_POLICIES: RateLimitPolicies = {
  ip: { rate: 200, burst: 400 },
  'sign-in': { rate: 0.2, burst: 10 },
  key: { rate: 5_000, burst: 10_000 },
  'org-runs': { rate: 5_000, burst: 10_000 },
  'org-reads': { rate: 10_000, burst: 20_000 },
};

/** What a route is limited as: derived from its declared access, or `sign-in` when the route says so. */
export type RateLimitClass = 'public' | 'sign-in' | 'runs' | 'reads' | 'writes';

/** The buckets of each class, in the order the headers list them. */
export const CLASS_BUCKETS: Record<RateLimitClass, readonly BucketName[]> = {
  public: ['ip'],
  'sign-in': ['sign-in'],
  runs: ['key', 'org-runs'],
  reads: ['key', 'org-reads'],
  writes: ['key'],
};

/**
 * The class of a route from its declared access: public routes per address (`sign-in` if the
 * route asks for the tighter bucket), `runs:write` (create, cancel, approve, retry runs) against
 * the org's run bucket, every `*:read` permission against the org's read bucket, other writes
 * against the caller's own bucket only.
 */
export function routeClass(access: 'public' | { permission: Permission }, declared?: 'sign-in'): RateLimitClass {
  if (access === 'public') return declared ?? 'public';
  if (access.permission === 'runs:write') return 'runs';
  return access.permission.endsWith(':read') ? 'reads' : 'writes';
}
