import { Cluster, Redis } from 'ioredis';
import { createTestRedis } from '@weft/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobFor } from './catalog';
import { createRedis } from './connection';
import { Queues, queuePrefix } from './queues';

describe('createRedis', () => {
  it('connects to one Redis from a URL, or from REDIS_URL when no cluster is configured', () => {
    const a = createRedis('redis://127.0.0.1:6379', 'client', { lazyConnect: true });
    const b = createRedis({ REDIS_URL: 'redis://127.0.0.1:6379', REDIS_CLUSTER_NODES: undefined }, 'client', { lazyConnect: true });
    expect(a).toBeInstanceOf(Redis);
    expect(b).toBeInstanceOf(Redis);
    a.disconnect();
    b.disconnect();
  });

  it('makes an ioredis Cluster over REDIS_CLUSTER_NODES with the seeds credentials and scheme for every node and the role settings BullMQ needs', () => {
    const env = { REDIS_URL: 'redis://unused:1', REDIS_CLUSTER_NODES: ['rediss://weft:s%40cret@10.0.0.1:7000', 'rediss://weft:s%40cret@10.0.0.2'] };
    const worker = createRedis(env, 'worker', { lazyConnect: true });
    const producer = createRedis(env, 'producer', { lazyConnect: true });
    expect(worker).toBeInstanceOf(Cluster);
    const w = worker as Cluster;
    const p = producer as Cluster;
    // ioredis keeps the seeds in a private field; nothing public lists them before connecting.
    expect((w as unknown as { startupNodes: unknown }).startupNodes).toEqual([{ host: '10.0.0.1', port: 7000 }, { host: '10.0.0.2', port: 6379 }]);
    expect(w.options.redisOptions).toMatchObject({ username: 'weft', password: 's@cret', tls: {}, maxRetriesPerRequest: null });
    expect(w.options.enableOfflineQueue).toBe(true);
    expect(p.options.redisOptions).toMatchObject({ maxRetriesPerRequest: 3 });
    expect(p.options.enableOfflineQueue).toBe(false);
    expect(w.options.enableReadyCheck).toBe(true);
    w.disconnect();
    p.disconnect();
  });
});

describe('Queue keys', () => {
  let redis: Awaited<ReturnType<typeof createTestRedis>>;
  let conn: Redis;
  beforeAll(async () => {
    redis = await createTestRedis();
    conn = createRedis(redis.url, 'client');
  });
  afterAll(async () => {
    await redis.cleanup();
    conn.disconnect();
  });

  it('hash-tags each queue by the prefix and its name, so all keys of one queue share one Redis Cluster slot', async () => {
    expect(queuePrefix('weft', 'executor')).toBe('{weft:executor}');
    const queues = new Queues(conn, redis.prefix);
    const runId = '00000000-0000-4000-8000-000000000002';
    await queues.publish([jobFor.executeStep(runId, '00000000-0000-4000-8000-000000000001', 1), jobFor.startRun(runId)]);
    await queues.close();
    const keys = await conn.keys(`*${redis.prefix}*`);
    const tags = new Set(keys.map((k) => /^\{([^}]*)\}/.exec(k)?.[1] ?? `untagged: ${k}`));
    expect([...tags].sort()).toEqual([`${redis.prefix}:executor`, `${redis.prefix}:orchestrator`]);
  });
});
