import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { RedisClient } from '@weft/queue';
import { AppError } from '../errors';

export interface FailedAuthLimitOptions {
  /** Lookups of keys not known to be valid one client address may cause per window; the next attempts answer 429. */
  max: number;
  /** Length of the window (ms). */
  windowMs: number;
}

/** Counts lookups of unknown keys per client address (IPv6 by /64), in Redis, shared by every gateway. */
export interface FailedAuthLimit {
  /**
   * Counts one attempt and refuses (429) the address once it is over its limit: called BEFORE the
   * key is looked up, so concurrent requests cannot all pass a read and then all reach Postgres.
   */
  count(req: FastifyRequest, reply: FastifyReply): Promise<void>;
}

/**
 * Key guessing must not load Postgres: at most `max` keys not known to be valid are looked up per
 * address and window; the next attempts get 429 (with Retry-After) before any database read. The
 * count is taken first (an atomic increment) because reading it first and counting after the lookup
 * let N concurrent guesses cause N lookups. The caller counts only a request that causes a read
 * (see ApiKeyVerifier.verify), so an address's first lookup of a VALID key counts too (once per key,
 * gateway and cache TTL: then it is cached and skips the limit), which is simpler and safer than
 * refunding successes (the store cannot decrement; a refund races the same way). A repeated bad
 * key answered from the negative cache costs no read and is not counted.
 * When Redis is unreachable the limit is skipped (the negative cache still spares Postgres the
 * repeats of one bad key).
 */
export async function registerFailedAuthLimit(app: FastifyInstance, redis: RedisClient, prefix: string, opts: FailedAuthLimitOptions): Promise<FailedAuthLimit> {
  // global: false: nothing is limited per route; this plugin only lends its counter (store and keys).
  await app.register(rateLimit, { global: false, redis, nameSpace: `${prefix}:failed-auth:`, skipOnError: true });
  const limiter = app.createRateLimit({ max: opts.max, timeWindow: opts.windowMs });
  return {
    async count(req, reply) {
      const r = await limiter(req);
      if (r.isAllowed || !r.isExceeded) return;
      const seconds = Math.max(1, r.ttlInSeconds);
      reply.header('retry-after', String(seconds));
      throw new AppError('rate_limited', `too many failed authentications from this address: retry in ${seconds} s`);
    },
  };
}
