import { randomBytes } from 'node:crypto';
import { Cluster, Redis } from 'ioredis';

/**
 * The key patterns of everything a platform with `prefix` writes: its own keys (`prefix:…`) and its
 * queues', whose BullMQ prefix is hash-tagged (`{prefix:queue}:…`, see `queuePrefix` in @weft/queue).
 */
export function keyPatterns(prefix: string): [string, string] {
  return [`${prefix}:*`, `{${prefix}:*`];
}

/** Redis for one test file: the server (or cluster), a unique key prefix, and cleanup of that prefix. */
export interface TestRedis {
  url: string;
  prefix: string;
  /**
   * Seeds of a Redis Cluster when WEFT_TEST_REDIS_CLUSTER_NODES is set (comma-separated URLs; the
   * Redis Cluster test runs pipeline tests this way): connect with `createRedis({ REDIS_URL: url,
   * REDIS_CLUSTER_NODES: clusterNodes })`.
   */
  clusterNodes: string[] | undefined;
  cleanup(): Promise<void>;
}

export async function createTestRedis(): Promise<TestRedis> {
  const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const seeds = process.env.WEFT_TEST_REDIS_CLUSTER_NODES?.split(',').map((s) => s.trim()).filter(Boolean);
  const clusterNodes = seeds?.length ? seeds : undefined;
  const prefix = `weft-test-${randomBytes(6).toString('hex')}`;
  return {
    url,
    prefix,
    clusterNodes,
    async cleanup() {
      // The platform's keys, and its queues' (hash-tagged: `{prefix:queue}:…`), on every master.
      const cluster = clusterNodes ? new Cluster(clusterNodes.map((s) => ({ host: new URL(s).hostname, port: Number(new URL(s).port) }))) : undefined;
      if (cluster) await new Promise((resolve) => cluster.once('ready', resolve));
      const servers = cluster ? cluster.nodes('master') : [new Redis(url, { maxRetriesPerRequest: 1 })];
      try {
        for (const r of servers) {
          for (const match of keyPatterns(prefix)) {
            let cursor = '0';
            do {
              const [next, keys] = await r.scan(cursor, 'MATCH', match, 'COUNT', 1000);
              cursor = next;
              // One key per command: a cluster node refuses a multi-key command across slots.
              if (keys.length) await Promise.all(keys.map((k) => r.unlink(k)));
            } while (cursor !== '0');
          }
        }
      } finally {
        for (const r of servers) r.disconnect();
        cluster?.disconnect();
      }
    },
  };
}
