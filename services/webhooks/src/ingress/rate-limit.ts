import type { Redis } from 'ioredis';

/**
 * A token bucket per key in Redis, in one Lua script (atomic across any number of ingress
 * processes): `burst` tokens, refilled at `perSecond`; each delivery takes one. Answers 0 when
 * taken, else the milliseconds until a token is back (the Retry-After). Time comes from Redis
 * (TIME), so the processes' clocks do not matter.
 */
const TAKE = `
local key = KEYS[1]
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local state = redis.call('HMGET', key, 'tokens', 'at')
local tokens = tonumber(state[1]) or burst
local at = tonumber(state[2]) or now
tokens = math.min(burst, tokens + (now - at) * rate / 1000)
local wait = 0
if tokens >= 1 then tokens = tokens - 1 else wait = math.ceil((1 - tokens) * 1000 / rate) end
redis.call('HSET', key, 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', key, math.ceil(burst * 1000 / rate) + 1000)
return wait`;

type WithTake = Redis & { weftTakeToken(key: string, rate: number, burst: number): Promise<number> };

export class TokenBucket {
  private readonly redis: WithTake;

  constructor(
    redis: Redis,
    private readonly prefix: string,
    private readonly rate: { perSecond: number; burst: number },
  ) {
    // defineCommand: EVALSHA with the script loaded once per connection.
    if (!(redis as unknown as Partial<WithTake>).weftTakeToken) redis.defineCommand('weftTakeToken', { numberOfKeys: 1, lua: TAKE });
    this.redis = redis as unknown as WithTake;
  }

  /** Takes a token of `key`'s bucket: 0 when taken, else ms until one is back. */
  async take(key: string): Promise<number> {
    return Number(await this.redis.weftTakeToken(`${this.prefix}:webhooks:rate:${key}`, this.rate.perSecond, this.rate.burst));
  }
}
