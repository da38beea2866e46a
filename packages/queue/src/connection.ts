import { Redis, type RedisOptions } from 'ioredis';

/**
 * Redis connections with the settings BullMQ documents for production: workers block on
 * commands, so `maxRetriesPerRequest: null`; producers fail fast instead of queueing offline.
 * Reconnects back off up to 2 s.
 */
export function createRedis(url: string, role: 'worker' | 'producer' | 'client' = 'client', extra: RedisOptions = {}): Redis {
  return new Redis(url, {
    maxRetriesPerRequest: role === 'producer' ? 3 : null,
    enableOfflineQueue: role !== 'producer',
    retryStrategy: (times) => Math.min(2000, 50 * 2 ** Math.min(times, 6)),
    lazyConnect: false,
    ...extra,
  });
}

export class RedisPolicyError extends Error {
  readonly code = 'redis_eviction_policy';
}

/**
 * BullMQ loses jobs silently if Redis evicts keys. Refuse to run unless the policy is noeviction.
 * INFO is used rather than CONFIG GET because managed Redis services often disable CONFIG.
 */
export async function assertNoEviction(redis: Redis): Promise<void> {
  await waitReady(redis);
  const info = await redis.info('memory');
  const policy = /maxmemory_policy:(\S+)/.exec(info)?.[1];
  if (policy !== 'noeviction') {
    throw new RedisPolicyError(
      `Redis maxmemory-policy is "${policy ?? 'unknown'}"; Weft requires "noeviction" (jobs would be evicted). ` +
        'Fix: redis-cli CONFIG SET maxmemory-policy noeviction (and set it in redis.conf).',
    );
  }
}

/** Resolves once the connection is ready (producers do not queue commands while connecting). */
export function waitReady(redis: Redis, timeoutMs = 10_000): Promise<void> {
  if (redis.status === 'ready') return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`Redis not reachable within ${timeoutMs} ms (status ${redis.status})`));
    }, timeoutMs);
    const onReady = () => {
      cleanup();
      resolve();
    };
    const cleanup = () => {
      clearTimeout(timer);
      redis.off('ready', onReady);
    };
    redis.on('ready', onReady);
  });
}
