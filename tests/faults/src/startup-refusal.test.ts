import { createTestDatabase, createTestRedis, type TestDatabase } from '@weft/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cluster, type ServiceKind } from './cluster';
import { startPrivateRedis, type PrivateRedis } from './infra';

/** Each service, started as users start it, against a setup it must refuse: it exits non-zero and says why. */
const KINDS: ServiceKind[] = ['gateway', 'orchestrator', 'executor'];

let db: TestDatabase;
let behind: TestDatabase;
let lastMigration: string;
let sharedRedis: Awaited<ReturnType<typeof createTestRedis>>;
let lru: PrivateRedis | undefined;

beforeAll(async () => {
  [db, behind, sharedRedis] = await Promise.all([createTestDatabase(), createTestDatabase(), createTestRedis()]);
  // A database one migration behind the code: what a deploy that forgot to migrate looks like.
  const c = new pg.Client({ connectionString: behind.url });
  await c.connect();
  const { rows } = await c.query<{ migration_name: string }>('DELETE FROM _prisma_migrations WHERE migration_name = (SELECT max(migration_name) FROM _prisma_migrations) RETURNING migration_name');
  await c.end();
  lastMigration = rows[0]!.migration_name;
  lru = await startPrivateRedis({ maxmemoryPolicy: 'allkeys-lru' }); // throws, naming the package, without redis-server
}, 60_000);

afterAll(async () => {
  await Promise.all([lru?.stop(), sharedRedis?.cleanup(), db?.drop(), behind?.drop()]);
});

async function refusals(label: string, databaseUrl: string, redisUrl: string) {
  const cluster = await Cluster.create({ label, databaseUrl, redisUrl, prefix: sharedRedis.prefix });
  try {
    const procs = KINDS.map((k) => cluster.launch(k));
    const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`a service did not exit (logs: ${cluster.logFile})`)), 45_000).unref());
    const exits = await Promise.race([Promise.all(procs.map((p) => p.exited)), timeout]);
    // What an operator reads: the message of each pino line (or the raw line).
    const text = (line: string) => {
      try {
        return String((JSON.parse(line) as { msg?: unknown }).msg ?? line);
      } catch {
        return line;
      }
    };
    return procs.map((p, i) => ({ kind: p.kind, code: exits[i]!.code, output: p.lines.map(text).join('\n') }));
  } finally {
    await cluster.stop();
  }
}

describe('Startup refusal', () => {
  it('Every service refuses to start against a Redis whose maxmemory-policy is allkeys-lru, naming noeviction', async () => {
    const results = await refusals('refuse-eviction', db.url, lru!.url);
    for (const r of results) {
      expect(r.code, `${r.kind}: ${r.output}`).not.toBe(0);
      expect(r.output, r.kind).toMatch(/maxmemory-policy is "allkeys-lru"; Weft requires "noeviction"/);
    }
  }, 60_000);

  it('Every service refuses to start against a database with a pending migration, naming it', async () => {
    const results = await refusals('refuse-migrations', behind.url, sharedRedis.url);
    for (const r of results) {
      expect(r.code, `${r.kind}: ${r.output}`).not.toBe(0);
      expect(r.output, r.kind).toContain(`pending migrations ${lastMigration}`);
    }
  }, 60_000);
});
