import { randomBytes } from 'node:crypto';
import { migrate } from '@weft/db';
import { Redis } from 'ioredis';
import pg from 'pg';

/** The fresh database and Redis prefix one bench run works in; `drop()` leaves nothing behind. */
export interface BenchInfra {
  databaseUrl: string;
  redisUrl: string;
  prefix: string;
  /** Redis keys still under the prefix (0 after a clean shutdown and `drop()`). */
  countKeys(): Promise<number>;
  drop(): Promise<void>;
}

/** Creates and migrates a database of its own on the server of `serverUrl`; picks a private Redis prefix. */
export async function createInfra(serverUrl: string, redisUrl: string): Promise<BenchInfra> {
  const id = randomBytes(5).toString('hex');
  const name = `weft_bench_${id}`;
  const databaseUrl = withDatabase(serverUrl, name);
  await admin(serverUrl, (c) => c.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`));
  await migrate(databaseUrl);
  const prefix = `weft-bench-${id}`;
  return {
    databaseUrl,
    redisUrl,
    prefix,
    countKeys: () => scanPrefix(redisUrl, prefix, false),
    async drop() {
      await scanPrefix(redisUrl, prefix, true);
      await admin(serverUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`));
    },
  };
}

function withDatabase(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.href;
}

async function admin<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Counts (and optionally deletes) the keys under `prefix:` and `{prefix:`. */
async function scanPrefix(url: string, prefix: string, del: boolean): Promise<number> {
  const r = new Redis(url, { maxRetriesPerRequest: 1 });
  let count = 0;
  try {
    // The platform's own keys and its queues' (hash-tagged: `{prefix:queue}:…`).
    for (const match of [`${prefix}:*`, `{${prefix}:*`]) {
      let cursor = '0';
      do {
        const [next, keys] = await r.scan(cursor, 'MATCH', match, 'COUNT', 1000);
        cursor = next;
        count += keys.length;
        // One key per command: keys of different hash tags may not share a DEL on a cluster.
        if (del && keys.length) await Promise.all(keys.map((k) => r.unlink(k)));
      } while (cursor !== '0');
    }
  } finally {
    r.disconnect();
  }
  return count;
}

/** Commands the Redis server has processed so far (all clients): the difference over a phase is its cost. */
export async function redisCommandsProcessed(url: string): Promise<number> {
  const r = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    const info = await r.info('stats');
    return Number(/total_commands_processed:(\d+)/.exec(info)?.[1] ?? Number.NaN);
  } finally {
    r.disconnect();
  }
}
