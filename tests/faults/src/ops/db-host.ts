import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, chownSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrate } from '@weft/db';
import { Redis } from 'ioredis';
import pg from 'pg';
import { REDIS_SERVER, sleep } from '../infra';
import type { Host, Topology } from './netns';
import { postgresBin } from './prerequisites';

/** Runs a command as the `postgres` user (PostgreSQL refuses root); `setpriv` execs, so pids stay. */
const asPostgres = ['setpriv', '--reuid=postgres', '--regid=postgres', '--init-groups'];

/** Postgres and Redis of this test alone, running on one host (namespace), reached over the bridge. */
export interface DbHost {
  databaseUrl: string;
  redisUrl: string;
  stop(): Promise<void>;
}

export async function startDbHost(topology: Topology, host: Host): Promise<DbHost> {
  const bin = postgresBin();
  if (!bin) throw new Error('PostgreSQL server binaries (initdb) not found: apt-get install postgresql, or set WEFT_PG_BIN');
  if (!REDIS_SERVER) throw new Error('redis-server is not on PATH (apt-get install redis-server)');
  const dir = mkdtempSync(join(tmpdir(), 'weft-scaleout-pg-'));
  const children: ChildProcess[] = [];
  const stop = async () => {
    await Promise.all(
      children.map((c) => {
        if (c.exitCode !== null || c.signalCode !== null) return;
        const exited = new Promise((r) => c.once('exit', r));
        c.kill('SIGKILL');
        return exited;
      }),
    );
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', () => children.forEach((c) => c.kill('SIGKILL')));
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(dir, uid, gid);
    const data = join(dir, 'data');
    execFileSync(asPostgres[0]!, [...asPostgres.slice(1), join(bin, 'initdb'), '-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync'], { stdio: 'ignore' });
    appendFileSync(join(data, 'pg_hba.conf'), `host all all ${topology.subnet}.0/24 trust\n`);
    const postgres = spawn(
      'ip',
      [
        ...['netns', 'exec', host.ns], ...asPostgres, join(bin, 'postgres'), '-D', data, '-p', '5432',
        ...['-c', `listen_addresses=${host.address}`, '-c', `unix_socket_directories=${dir}`, '-c', 'max_connections=200'],
        ...['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'],
      ],
      { stdio: 'ignore' },
    );
    children.push(postgres);
    const redis = spawn('ip', ['netns', 'exec', host.ns, REDIS_SERVER, '--port', '6379', '--bind', host.address, '--save', '', '--appendonly', 'no', '--maxmemory-policy', 'noeviction', '--protected-mode', 'no'], { stdio: 'ignore' });
    children.push(redis);

    const admin = `postgresql://postgres@${host.address}:5432/postgres`;
    const databaseUrl = `postgresql://postgres@${host.address}:5432/weft_scaleout`;
    const redisUrl = `redis://${host.address}:6379`;
    await until(`postgres on ${host.address}`, postgres, async () => {
      const c = new pg.Client({ connectionString: admin, connectionTimeoutMillis: 1000 });
      try {
        await c.connect();
        return true;
      } finally {
        await c.end().catch(() => undefined);
      }
    });
    await until(`redis-server on ${host.address}`, redis, async () => {
      const r = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 1000 });
      r.on('error', () => undefined);
      try {
        await r.connect();
        return (await r.ping()) === 'PONG';
      } finally {
        r.disconnect();
      }
    });
    const c = new pg.Client({ connectionString: admin });
    await c.connect();
    await c.query('CREATE DATABASE weft_scaleout');
    await c.end();
    await migrate(databaseUrl);
    return { databaseUrl, redisUrl, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

async function until(what: string, child: ChildProcess, probe: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`${what} exited (${child.exitCode}) during start`);
    if (await probe().catch(() => false)) return;
    await sleep(100);
  }
  throw new Error(`${what} did not start within 30 s`);
}
