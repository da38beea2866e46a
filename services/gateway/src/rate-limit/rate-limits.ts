import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from '@weft/logger';
import { weftMetrics } from '@weft/metrics';
import { hashApiKey, principalRef, type ApiKeyVerifier, type Principal } from '../auth/api-keys';
import { roleCan } from '@weft/workflow-schema';
import { problem } from '../plugins/error-handler';
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
 * `earlyRefusals` is the cheap door in front of it for clients that ignore 429 (see there).
 */
export function registerRateLimits(app: FastifyInstance, limiter: RateLimiter, buckets: TokenBuckets, logger: Logger) {
  let lastWarn = 0;

  app.addHook('onRequest', async (req, reply) => {
    if (req.is404) return;
    const checks = limiter.checksOf(req, () => req.auth);
    if (!checks.length) return;
    // A bucket known to be empty answers from memory: a client that ignores 429 costs no Redis call.
    const known = limiter.knownEmpty(checks);
    if (known) throw new AppError('rate_limited', refusal(reply, checks, known));
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
    throw new AppError('rate_limited', refusal(reply, checks, limiter.rememberEmpty(checks, result.states)));
  });
}

/** What the two doors share: the policies, the partitions of a request, and the memory of empty buckets. */
export type RateLimiter = ReturnType<typeof rateLimiter>;

/** The limiter of one gateway process over shared buckets (`registerRateLimits` and `earlyRefusals` use it). */
export function rateLimiter(buckets: TokenBuckets, opts: RateLimitOptions = {}) {
  const policies = { ...DEFAULT_POLICIES, ...opts.policies };
  const unlimited = new Set(opts.unlimitedOrgIds ?? []);
  const empty = new EmptyBuckets();
  return {
    /** The buckets a request draws from; `principal` is asked only on authenticated routes. */
    checksOf(req: FastifyRequest, principal: () => Principal): BucketCheck[] {
      const { access, rateLimitClass } = req.routeOptions.config;
      if (access === undefined) return [];
      const cls = routeClass(access, rateLimitClass);
      const names = CLASS_BUCKETS[cls].filter((n) => policies[n].rate > 0 && policies[n].burst > 0);
      if (!names.length) return [];
      if (cls === 'public' || cls === 'sign-in') return names.map((name) => ({ name, partition: addressPartition(req.ip), policy: policies[name] }));
      const p = principal();
      if (unlimited.has(p.orgId)) return [];
      const partition = (name: BucketName) => (name === 'key' ? principalRef(p) : p.orgId);
      return names.map((name) => ({ name, partition: partition(name), policy: policies[name], group: p.orgId }));
    },
    /** The first bucket of `checks` known to be empty now, as a refusal to answer, or undefined. */
    knownEmpty(checks: BucketCheck[]): Refused | undefined {
      const now = buckets.clock();
      for (const c of checks) {
        const known = empty.get(buckets.keyOf(c), now);
        if (known) return { checks: [c], states: [{ remaining: 0, resetMs: known.fullAt - now, retryMs: known.until - now }] };
      }
      return undefined;
    },
    /** Remembers the buckets a refused take found empty, and answers them as the refusal. */
    rememberEmpty(checks: BucketCheck[], states: BucketState[]): Refused {
      const now = buckets.clock();
      const refused: Refused = { checks: [], states: [] };
      for (const [i, c] of checks.entries()) {
        if (states[i]!.retryMs <= 0) continue;
        empty.set(buckets.keyOf(c), now + states[i]!.retryMs, now + states[i]!.resetMs, now);
        refused.checks.push(c);
        refused.states.push(states[i]!);
      }
      return refused;
    },
  };
}

/** The empty buckets of a refused request and their states. */
interface Refused {
  checks: BucketCheck[];
  states: BucketState[];
}

/** The headers of a 429 (set on `reply`) and its detail naming the empty buckets; RateLimit-Policy still lists every policy of the route. */
function refusal(reply: FastifyReply, all: BucketCheck[], refused: Refused): string {
  const seconds = retryAfterSeconds(refused.states);
  weftMetrics.rateLimited.inc({ bucket: refused.checks[0]?.name ?? 'unknown' });
  reply.header('ratelimit-policy', policyField(all));
  reply.header('ratelimit', limitField(refused.checks, refused.states));
  reply.header('retry-after', String(seconds));
  const which = refused.checks.map((c) => `"${c.name}" (${c.policy.burst} per ${windowSeconds(c)} s, refilled at ${c.policy.rate}/s)`).join(' and ');
  return `the rate limit ${which} is exhausted: retry in ${seconds} s`;
}

/**
 * The cheap door, an onRequest hook registered before the access check and the cookie parser: a
 * request with an API key whose verdict is cached, on a route its role may call, whose bucket is
 * known to be empty, is answered 429 at once (the problem written directly, no error thrown and
 * handled, no cookie parsed, no Redis call). A noisy client that ignores 429 then costs the
 * gateway little more than parsing its request, so other orgs' requests do not queue behind its
 * refusals. Everything else goes on to the access check and the limiter above.
 */
export function earlyRefusals(limiter: RateLimiter, verifier: ApiKeyVerifier) {
  return async (req: FastifyRequest, reply: FastifyReply) => {
    if (req.is404) return;
    const access = req.routeOptions.config.access;
    const header = req.headers.authorization;
    if (access === undefined || access === 'public' || !header?.startsWith('Bearer ')) return;
    const principal = verifier.cached(hashApiKey(header.slice(7).trim()));
    if (!principal || !roleCan(principal.role, access.permission)) return;
    const checks = limiter.checksOf(req, () => principal);
    const known = checks.length ? limiter.knownEmpty(checks) : undefined;
    if (!known) return;
    return problem(reply, req, 'rate_limited', refusal(reply, checks, known));
  };
}
