import type { RedisClient } from '@weft/queue';
import type { BucketName, BucketPolicy } from './policies';

/**
 * Takes one token from every bucket of KEYS, or from none: all buckets are refilled to `now`
 * (rate tokens per second, at most burst), then the request is allowed only if each holds a whole
 * token. One script, so concurrent requests on any number of gateways see one consistent count.
 * ARGV: now in ms ('' = Redis's own clock, shared by every gateway), then rate and burst per key.
 * Returns allowed (1/0), then per bucket: whole tokens left, ms until full, ms until one token.
 * A bucket is a hash {t: tokens, at: ms}; it expires once it would be full again (noeviction-safe).
 * A clock behind the bucket's (another gateway's) refills nothing rather than going backwards.
 */
const TAKE = `
local now = tonumber(ARGV[1])
if not now then
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local tokens, at, ok = {}, {}, 1
for i = 1, #KEYS do
  local rate, burst = tonumber(ARGV[2 * i]), tonumber(ARGV[2 * i + 1])
  local s = redis.call('HMGET', KEYS[i], 't', 'at')
  local tk, last = tonumber(s[1]), tonumber(s[2])
  if not tk or not last then tk, last = burst, now end
  if now > last then
    tk = math.min(burst, tk + (now - last) * rate / 1000)
    last = now
  end
  tokens[i], at[i] = tk, last
  if tk < 1 then ok = 0 end
end
local out = { ok }
for i = 1, #KEYS do
  local rate, burst = tonumber(ARGV[2 * i]), tonumber(ARGV[2 * i + 1])
  local tk = tokens[i]
  if ok == 1 then
    tk = tk - 1
    redis.call('HSET', KEYS[i], 't', tostring(tk), 'at', tostring(at[i]))
    redis.call('PEXPIRE', KEYS[i], math.ceil((burst - tk) * 1000 / rate) + 1000)
  end
  local retry = 0
  if tk < 1 then retry = math.ceil((1 - tk) * 1000 / rate) end
  out[#out + 1] = math.floor(tk)
  out[#out + 1] = math.ceil((burst - tk) * 1000 / rate)
  out[#out + 1] = retry
end
return out
`;

/** Buckets of the sign-in service itself (magic links per address and per email), outside the route classes. */
export type SignInBucketName = 'magic-link-ip' | 'magic-link-email';

/** One bucket a request draws from: its policy and the partition it belongs to (an address, a principal, an org). */
export interface BucketCheck {
  name: BucketName | SignInBucketName;
  partition: string;
  policy: BucketPolicy;
  /**
   * What the buckets of one request share (its org, or its address on public routes; default the
   * partition): the hash tag of their keys, so the one script that takes from all of them touches
   * one Redis Cluster slot.
   */
  group?: string;
}

/** A bucket after the request: whole tokens left, ms until it is full again, ms until it holds one token (0: now). */
export interface BucketState {
  remaining: number;
  resetMs: number;
  retryMs: number;
}

type WithTake = RedisClient & { weftTakeTokens(numKeys: number, ...args: (string | number)[]): Promise<number[]> };

/** Token buckets in Redis, shared by every gateway process on the same Redis and prefix. */
export class TokenBuckets {
  private readonly redis: WithTake;

  /** `now` (ms) is for tests; by default the buckets run on Redis's clock. */
  constructor(
    redis: RedisClient,
    private readonly prefix: string,
    private readonly now?: () => number,
  ) {
    // defineCommand sends EVALSHA and falls back to EVAL once per connection (script cache flushed).
    if (!('weftTakeTokens' in redis)) redis.defineCommand('weftTakeTokens', { lua: TAKE });
    this.redis = redis as WithTake;
  }

  /** The Redis key of a bucket (also its name in the gateway's memory of empty buckets), hash-tagged by its group. */
  keyOf(c: BucketCheck): string {
    return `${this.prefix}:ratelimit:{${c.group ?? c.partition}}:${c.name}:${c.partition}`;
  }

  /** The buckets' clock if one was given (ms), else this process's: durations from Redis are measured on it. */
  clock(): number {
    return this.now ? this.now() : Date.now();
  }

  /** Takes one token from one bucket: allowed, or how long until it holds one again (ms). */
  async takeOne(name: SignInBucketName, partition: string, policy: BucketPolicy): Promise<{ allowed: boolean; retryAfterMs: number }> {
    const r = await this.take([{ name, partition, policy }]);
    return { allowed: r.allowed, retryAfterMs: r.states[0]!.retryMs };
  }

  /** Takes one token from every bucket, or none when one of them is empty. */
  async take(checks: readonly BucketCheck[]): Promise<{ allowed: boolean; states: BucketState[] }> {
    if (new Set(checks.map((c) => c.group ?? c.partition)).size > 1) throw new Error('the buckets of one take must share a group (one Redis Cluster slot)');
    const keys = checks.map((c) => this.keyOf(c));
    const args = [this.now ? String(this.now()) : '', ...checks.flatMap((c) => [String(c.policy.rate), String(c.policy.burst)])];
    const out = await this.redis.weftTakeTokens(keys.length, ...keys, ...args);
    const states = checks.map((_, i) => ({ remaining: out[1 + 3 * i]!, resetMs: out[2 + 3 * i]!, retryMs: out[3 + 3 * i]! }));
    return { allowed: out[0] === 1, states };
  }
}
