import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';

/** Redis for one test file: the shared server, a unique key prefix, and cleanup of that prefix. */
export async function createTestRedis(): Promise<{ url: string; prefix: string; cleanup(): Promise<void> }> {
  const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const prefix = `weft-test-${randomBytes(6).toString('hex')}`;
  return {
    url,
    prefix,
    async cleanup() {
      const r = new Redis(url, { maxRetriesPerRequest: 1 });
      try {
        // The platform's keys, and its queues' (hash-tagged: `{prefix:queue}:…`).
        for (const match of [`${prefix}:*`, `{${prefix}:*`]) {
          let cursor = '0';
          do {
            const [next, keys] = await r.scan(cursor, 'MATCH', match, 'COUNT', 1000);
            cursor = next;
            if (keys.length) await r.del(...keys);
          } while (cursor !== '0');
        }
      } finally {
        r.disconnect();
      }
    },
  };
}
