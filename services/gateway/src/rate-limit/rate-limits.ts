import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from '@weft/logger';
import { principalRef } from '../auth/api-keys';
import { AppError } from '../errors';
import { addressPartition } from './client-address';
import { limitField, policyField, retryAfterSeconds, windowSeconds } from './headers';
import { CLASS_BUCKETS, DEFAULT_POLICIES, routeClass, type BucketName, type RateLimitPolicies } from './policies';
import { EmptyBuckets } from './empty-buckets';
import type { BucketCheck, BucketState, TokenBuckets } from './token-buckets';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** `sign-in`: a public route limited by the tight per-address sign-in bucket instead of the public one. */
    rateLimitClass?: 'sign-in';
  }
}

export interface RateLimitOptions {
  /** Rate and burst of each bucket (rate 0: that bucket is off); missing ones take the defaults. */
  policies?: Partial<RateLimitPolicies>;
  /** Orgs whose principals draw from no bucket (the bootstrap org, unless configured otherwise). */
  unlimitedOrgIds?: readonly string[];
}

/** How often a Redis failure of the limiter is logged (ms): it fails open, on every request. */
const WARN_EVERY_MS = 10_000;

/**
 * Limits every matched route by its class (see policies.ts): registered after the access check,
 * so the principal is known. Answers with `RateLimit-Policy` and `RateLimit` on every limited
 * route, and refuses with 429, `Retry-After` and problem+json when a bucket is empty (`RateLimit`
 * of a refusal names only the empty buckets; a bucket known to be empty is refused without asking
 * Redis again until it holds a token, see empty-buckets.ts). When Redis
 * fails the request goes through (the API must not stop with the limiter), with a warning.
 */
export function registerRateLimits(app: FastifyInstance, buckets: TokenBuckets, logger: Logger, opts: RateLimitOptions = {}) {
  const policies = { ...DEFAULT_POLICIES, ...opts.policies };
  const unlimited = new Set(opts.unlimitedOrgIds ?? []);
  let lastWarn = 0;
  const empty = new EmptyBuckets();

  const checksOf = (req: FastifyRequest): BucketCheck[] => {
    const { access, rateLimitClass } = req.routeOptions.config;
    if (access === undefined) return [];
    const cls = routeClass(access, rateLimitClass);
    const names = CLASS_BUCKETS[cls].filter((n) => policies[n].rate > 0 && policies[n].burst > 0);
    if (!names.length) return [];
    if (cls === 'public' || cls === 'sign-in') return names.map((name) => ({ name, partition: addressPartition(req.ip), policy: policies[name] }));
    const principal = req.auth;
    if (unlimited.has(principal.orgId)) return [];
    const partition = (name: BucketName) => (name === 'key' ? principalRef(principal) : principal.orgId);
    return names.map((name) => ({ name, partition: partition(name), policy: policies[name] }));
  };

  /** 429 naming the empty buckets; RateLimit-Policy still lists every policy of the route. */
  const refuse = (all: BucketCheck[], checks: BucketCheck[], states: BucketState[], reply: FastifyReply): never => {
    const seconds = retryAfterSeconds(states);
    reply.header('ratelimit-policy', policyField(all));
    reply.header('ratelimit', limitField(checks, states));
    reply.header('retry-after', String(seconds));
    const which = checks.map((c) => `"${c.name}" (${c.policy.burst} per ${windowSeconds(c)} s, refilled at ${c.policy.rate}/s)`).join(' and ');
    throw new AppError('rate_limited', `the rate limit ${which} is exhausted: retry in ${seconds} s`);
  };

  app.addHook('onRequest', async (req, reply) => {
    if (req.is404) return;
    const checks = checksOf(req);
    if (!checks.length) return;
    // A bucket known to be empty answers from memory: a client that ignores 429 costs no Redis call.
    const now = buckets.clock();
    for (const c of checks) {
      const known = empty.get(buckets.keyOf(c), now);
      if (known) refuse(checks, [c], [{ remaining: 0, resetMs: known.fullAt - now, retryMs: known.until - now }], reply);
    }
    let result;
    try {
      result = await buckets.take(checks);
    } catch (err) {
      if (Date.now() - lastWarn > WARN_EVERY_MS) {
        lastWarn = Date.now();
        logger.warn({ err }, 'rate limits skipped: Redis did not answer');
      }
      return;
    }
    if (result.allowed) {
      reply.header('ratelimit-policy', policyField(checks));
      reply.header('ratelimit', limitField(checks, result.states));
      return;
    }
    const states = result.states;
    const refused = checks.filter((_, i) => states[i]!.retryMs > 0);
    for (const [i, c] of checks.entries()) {
      if (states[i]!.retryMs > 0) empty.set(buckets.keyOf(c), now + states[i]!.retryMs, now + states[i]!.resetMs, now);
    }
    refuse(checks, refused, states.filter((s) => s.retryMs > 0), reply);
  });
}
