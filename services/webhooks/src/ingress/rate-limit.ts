import type { RedisClient } from '@weft/queue';

/** A bucket's size and refill rate. */
export interface Rate {
  perSecond: number;
  burst: number;
}

/**
 * Token buckets in Redis, in one Lua script (atomic across any number of ingress processes): each
 * key holds up to `burst` tokens, refilled at `perSecond`. A delivery takes one token of the hook's
 * bucket AND one of its org's, or none: the answer is 0 when taken, else the milliseconds until
 * both have a token again (the Retry-After). Time comes from Redis (TIME), so the processes'
 * clocks do not matter.
 */
const TAKE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local tokens, wait = {}, 0
for i = 1, 2 do
  local rate, burst = tonumber(ARGV[i * 2 - 1]), tonumber(ARGV[i * 2])
  local state = redis.call('HMGET', KEYS[i], 'tokens', 'at')
  local at = tonumber(state[2]) or now
  tokens[i] = math.min(burst, (tonumber(state[1]) or burst) + (now - at) * rate / 1000)
  if tokens[i] < 1 then wait = math.max(wait, math.ceil((1 - tokens[i]) * 1000 / rate)) end
end
for i = 1, 2 do
  local rate, burst = tonumber(ARGV[i * 2 - 1]), tonumber(ARGV[i * 2])
  if wait == 0 then tokens[i] = tokens[i] - 1 end
  redis.call('HSET', KEYS[i], 'tokens', tostring(tokens[i]), 'at', tostring(now))
  redis.call('PEXPIRE', KEYS[i], math.ceil(burst * 1000 / rate) + 1000)
end
return wait`;

type WithTake = RedisClient & { weftTakeTokens(hookKey: string, orgKey: string, hookRate: number, hookBurst: number, orgRate: number, orgBurst: number): Promise<number> };

/** The per-hook and per-org rate limits of deliveries. */
export class DeliveryRateLimit {
  private readonly redis: WithTake;

  constructor(
    redis: RedisClient,
    private readonly prefix: string,
    private readonly rates: { hook: Rate; org: Rate },
  ) {
    // defineCommand: EVALSHA with the script loaded once per connection.
    if (!(redis as unknown as Partial<WithTake>).weftTakeTokens) redis.defineCommand('weftTakeTokens', { numberOfKeys: 2, lua: TAKE });
    this.redis = redis as unknown as WithTake;
  }

  /** Takes a token of the hook's and of the org's bucket: 0 when taken, else ms until both have one. */
  async take(orgId: string, hookId: string): Promise<number> {
    const { hook, org } = this.rates;
    // Both keys tagged by the org: one script touches them, so they share a Redis Cluster slot.
    const keys = [`${this.prefix}:webhooks:rate:{${orgId}}:hook:${hookId}`, `${this.prefix}:webhooks:rate:{${orgId}}:org`] as const;
    return Number(await this.redis.weftTakeTokens(...keys, hook.perSecond, hook.burst, org.perSecond, org.burst));
  }
}
