import { Cluster, Redis, type ClusterOptions, type RedisOptions } from 'ioredis';

/** A connection to one Redis server or to a Redis Cluster: every command Weft sends works on both. */
export type RedisClient = Redis | Cluster;

/** Where Redis is: the service settings REDIS_URL and REDIS_CLUSTER_NODES (which wins when set). */
export interface RedisEnv {
  REDIS_URL: string;
  /** Seed nodes of a Redis Cluster (`redis://[user:password@]host:port`, `rediss://` for TLS). */
  REDIS_CLUSTER_NODES?: readonly string[] | undefined;
}

type Role = 'worker' | 'producer' | 'client';

/** Reconnects back off up to 2 s. */
const backoff = (times: number) => Math.min(2000, 50 * 2 ** Math.min(times, 6));

/**
 * Redis connections with the settings BullMQ documents for production: workers block on
 * commands, so `maxRetriesPerRequest: null`; producers fail fast instead of queueing offline.
 * With REDIS_CLUSTER_NODES set the connection is an ioredis Cluster over those seeds (the same
 * settings for each node it discovers), so every service talks to the cluster when it is configured.
 */
export function createRedis(url: string, role?: Role, extra?: RedisOptions): Redis;
export function createRedis(target: RedisEnv, role?: Role, extra?: RedisOptions): RedisClient;
export function createRedis(target: string | RedisEnv, role: Role = 'client', extra: RedisOptions = {}): RedisClient {
  const options: RedisOptions = {
    maxRetriesPerRequest: role === 'producer' ? 3 : null,
    enableOfflineQueue: role !== 'producer',
    retryStrategy: backoff,
    lazyConnect: false,
    ...extra,
  };
  if (typeof target === 'string') return new Redis(target, options);
  const seeds = target.REDIS_CLUSTER_NODES;
  if (!seeds?.length) return new Redis(target.REDIS_URL, options);
  return new Cluster(seeds.map(seedNode), clusterOptions(seeds, options));
}

/** A seed as ioredis takes it: host and port (credentials and TLS go to every node, below). */
function seedNode(seed: string): { host: string; port: number } {
  const u = new URL(seed);
  return { host: u.hostname, port: Number(u.port || 6379) };
}

/**
 * Cluster settings: the node options of the first seed's credentials and scheme, the offline
 * queue of the role (a producer fails fast while the cluster is down), and retries of commands
 * caught in a failover (MOVED, TRYAGAIN, CLUSTERDOWN) after a short pause instead of failing.
 */
export function clusterOptions(seeds: readonly string[], node: RedisOptions): ClusterOptions {
  const first = new URL(seeds[0]!);
  const { enableOfflineQueue, lazyConnect, ...redisOptions } = node;
  return {
    redisOptions: {
      ...redisOptions,
      ...(first.username ? { username: decodeURIComponent(first.username) } : {}),
      ...(first.password ? { password: decodeURIComponent(first.password) } : {}),
      ...(first.protocol === 'rediss:' ? { tls: {} } : {}),
    },
    enableOfflineQueue: enableOfflineQueue ?? true,
    lazyConnect: lazyConnect ?? false,
    enableReadyCheck: true,
    clusterRetryStrategy: backoff,
    retryDelayOnFailover: 200,
    retryDelayOnClusterDown: 200,
    retryDelayOnTryAgain: 200,
    slotsRefreshTimeout: 2000,
  };
}

/** The masters of a cluster (each holds its own keys and policy), or the one server. */
function servers(redis: RedisClient): Redis[] {
  return redis instanceof Cluster ? redis.nodes('master') : [redis];
}

export class RedisPolicyError extends Error {
  readonly code = 'redis_eviction_policy';
}

/**
 * BullMQ loses jobs silently if Redis evicts keys. Refuse to run unless the policy is noeviction
 * (on every master of a cluster). INFO is used rather than CONFIG GET because managed Redis
 * services often disable CONFIG.
 */
export async function assertNoEviction(redis: RedisClient): Promise<void> {
  await waitReady(redis);
  for (const server of servers(redis)) {
    const info = await server.info('memory');
    const policy = /maxmemory_policy:(\S+)/.exec(info)?.[1];
    if (policy !== 'noeviction') {
      const where = redis instanceof Cluster ? ` on ${server.options.host}:${server.options.port}` : '';
      throw new RedisPolicyError(
        `Redis maxmemory-policy is "${policy ?? 'unknown'}"${where}; Weft requires "noeviction" (jobs would be evicted). ` +
          'Fix: redis-cli CONFIG SET maxmemory-policy noeviction (and set it in redis.conf).',
      );
    }
  }
}

/** Resolves once the connection is ready (producers do not queue commands while connecting). */
export function waitReady(redis: RedisClient, timeoutMs = 10_000): Promise<void> {
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
