import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import { AppError } from '../errors';

export interface FailedAuthLimitOptions {
  /** Failed authentications one client address may make per window; the next ones answer 429. */
  max: number;
  /** Length of the window (ms). */
  windowMs: number;
}

/** Counts failed authentications per client address (IPv6 by /64), in Redis, shared by every gateway. */
export interface FailedAuthLimit {
  /** Refuses (429) an address that is over its limit, without counting: called before any database read. */
  check(req: FastifyRequest, reply: FastifyReply): Promise<void>;
  /** Counts one failure; refuses (429) when it takes the address over its limit. */
  record(req: FastifyRequest, reply: FastifyReply): Promise<void>;
}

/**
 * Key guessing must not load Postgres: after `max` failures in a window an address gets 429 (with
 * Retry-After) before its key is even looked up: at most `max` lookups per address and window. Keys already known to be valid never come here,
 * so a busy client with a good key is not slowed. When Redis is unreachable the limit is skipped
 * (the negative cache still spares Postgres the repeats of one bad key).
 */
export async function registerFailedAuthLimit(app: FastifyInstance, redis: Redis, prefix: string, opts: FailedAuthLimitOptions): Promise<FailedAuthLimit> {
  // global: false: nothing is limited per route; this plugin only lends its counter (store and keys).
  await app.register(rateLimit, { global: false, redis, nameSpace: `${prefix}:failed-auth:`, skipOnError: true });
  const limiter = app.createRateLimit({ max: opts.max, timeWindow: opts.windowMs });
  const refuse = async (req: FastifyRequest, reply: FastifyReply, increment: boolean) => {
    const r = await limiter(req, { increment });
    // Reading: an address that used up its failures is refused before its key is looked up.
    // Counting: only a failure beyond the limit (concurrent requests that all passed the check).
    if (r.isAllowed || (increment ? !r.isExceeded : r.remaining > 0)) return;
    const seconds = Math.max(1, r.ttlInSeconds);
    reply.header('retry-after', String(seconds));
    throw new AppError('rate_limited', `too many failed authentications from this address: retry in ${seconds} s`);
  };
  return { check: (req, reply) => refuse(req, reply, false), record: (req, reply) => refuse(req, reply, true) };
}
