import type { Redis } from 'ioredis';

/**
 * A token bucket in Redis (one hash per key: tokens and the time they were counted), refilled
 * continuously at `capacity / windowMs`, taken atomically by one script on the server's clock so
 * every gateway shares it. Small and local to sign-in on purpose (magic links per address and per
 * email); the general rate limits may replace it.
 */
const TAKE = `
local capacity = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1]) or capacity
local at = tonumber(state[2]) or now
tokens = math.min(capacity, tokens + (now - at) * capacity / window)
local allowed = 0
if tokens >= 1 then
  tokens = tokens - 1
  allowed = 1
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], window)
local wait = 0
if allowed == 0 then wait = math.ceil((1 - tokens) * window / capacity) end
return { allowed, wait }
`;

export interface BucketRule {
  /** Most takes in a burst (tokens in a full bucket). */
  capacity: number;
  /** Time to refill an empty bucket (ms). */
  windowMs: number;
}

export class TokenBuckets {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  /** Takes one token from `key`'s bucket: allowed, or how long until the next token (ms). */
  async take(key: string, rule: BucketRule): Promise<{ allowed: boolean; retryAfterMs: number }> {
    const [allowed, wait] = (await this.redis.eval(TAKE, 1, `${this.prefix}:bucket:${key}`, rule.capacity, rule.windowMs)) as [number, number];
    return { allowed: allowed === 1, retryAfterMs: wait };
  }
}
