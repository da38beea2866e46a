import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { BenchInfra } from '../infra';
import { freePort } from '../platform';

const entry = fileURLToPath(new URL('./submit-server.ts', import.meta.url));
const root = fileURLToPath(new URL('../../..', import.meta.url));

export interface SubmitBaseline {
  url: string;
  /** Rows accepted so far and rows the worker marked done. */
  counts(): Promise<{ accepted: number; done: number }>;
  stop(): Promise<void>;
}

/**
 * Starts the bare Fastify + Postgres + BullMQ server (submit-server.ts) as a separate process,
 * on the bench database and Redis prefix, and waits until it listens.
 */
export async function startSubmitBaseline(infra: BenchInfra, concurrency: number): Promise<SubmitBaseline> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: infra.databaseUrl, REDIS_URL: infra.redisUrl, BENCH_PREFIX: infra.prefix, BENCH_PORT: String(port), BENCH_CONCURRENCY: String(concurrency) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stderr.setEncoding('utf8').on('data', (s: string) => process.stderr.write(`[baseline] ${s}`));
  await new Promise<void>((resolve, reject) => {
    child.stdout.setEncoding('utf8').on('data', (s: string) => s.includes('ready') && resolve());
    child.once('exit', (code) => reject(new Error(`baseline server exited (${code}) during start`)));
  });
  const db = new pg.Client({ connectionString: infra.databaseUrl });
  await db.connect();
  return {
    url: `http://127.0.0.1:${port}`,
    async counts() {
      const { rows } = await db.query<{ accepted: number; done: number }>(
        `SELECT count(*)::int AS accepted, count(*) FILTER (WHERE status = 'done')::int AS done FROM bench_runs`,
      );
      return rows[0]!;
    },
    async stop() {
      await db.end();
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
