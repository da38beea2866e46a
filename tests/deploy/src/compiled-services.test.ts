// The production layout of each service (scripts/build/deploy.mjs, what every Dockerfile runs),
// started with plain `node` on a fresh database: migrate.mjs creates the schema, the compiled
// gateway, orchestrator, executor and webhooks services start, and smoke.mjs runs a workflow
// through all of them. The same topology as deploy/docker-compose.yml, as processes.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateApiKey } from '@weft/gateway';
import { createTestRedis } from '@weft/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = new URL('../../..', import.meta.url).pathname;
const SERVICES = ['gateway', 'orchestrator', 'executor', 'webhooks'] as const;
type Service = (typeof SERVICES)[number];

const work = mkdtempSync(join(tmpdir(), 'weft-deploy-'));
const layout = (s: Service) => join(work, s);
const adminUrl = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const dbName = `weft_deploy_${randomBytes(5).toString('hex')}`;
const databaseUrl = Object.assign(new URL(adminUrl), { pathname: `/${dbName}` }).href;
const apiKey = generateApiKey();
const processes: ChildProcess[] = [];
const logs = new Map<Service, string>();
let redis: Awaited<ReturnType<typeof createTestRedis>>;
let ports: Record<Service, number>;
const startMs: Partial<Record<Service, number>> = {};

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** Lays out one service as its image holds it; several at once (pnpm shares its store). */
function layOut(s: Service): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'scripts/build/deploy.mjs'), join(ROOT, 'services', s), layout(s)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`deploy.mjs ${s} exited ${code}:\n${out.slice(-4000)}`))));
  });
}

function serviceEnv(s: Service): NodeJS.ProcessEnv {
  // Only what an image gets: no tsx loader, no repository on the module path.
  return {
    PATH: process.env.PATH,
    NODE_ENV: 'production',
    DATABASE_URL: databaseUrl,
    REDIS_URL: redis.url,
    WEFT_QUEUE_PREFIX: redis.prefix,
    WEFT_FUNCTIONS_DIR: join(layout(s), 'dist/functions'),
    WEFT_KEKS: `k1:${randomBytes(32).toString('base64')}`,
    WEFT_KEK_CURRENT: 'k1',
    LOG_LEVEL: 'warn',
    ...(s === 'gateway' ? { WEFT_GATEWAY_PORT: String(ports.gateway), WEFT_BOOTSTRAP_API_KEY: apiKey } : {}),
    ...(s === 'webhooks' ? { WEFT_WEBHOOKS_PORT: String(ports.webhooks) } : {}),
    ...(s === 'orchestrator' || s === 'executor' ? { WEFT_METRICS_PORT: String(ports[s]) } : {}),
  };
}

async function waitReady(s: Service, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await fetch(`http://127.0.0.1:${ports[s]}/readyz`).then((r) => r.status === 200, () => false);
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`${s} not ready after ${timeoutMs} ms:\n${logs.get(s)?.slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function node(s: Service, script: string, args: string[] = []) {
  return spawnSync(process.execPath, [join(layout(s), 'dist', script), ...args], { cwd: layout(s), env: serviceEnv(s), encoding: 'utf8', timeout: 120_000 });
}

beforeAll(async () => {
  redis = await createTestRedis();
  ports = { gateway: await freePort(), orchestrator: await freePort(), executor: await freePort(), webhooks: await freePort() };
  await Promise.all(SERVICES.map(layOut));
}, 600_000);

afterAll(async () => {
  for (const p of processes) p.kill('SIGTERM');
  await Promise.all(processes.map((p) => (p.exitCode === null ? new Promise((r) => p.once('exit', r)) : undefined)));
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
  await admin.end();
  await redis?.cleanup();
  rmSync(work, { recursive: true, force: true });
  console.log('compiled services, from spawn to ready (ms):', startMs);
}, 120_000);

describe('The production build of the services', () => {
  it('holds compiled JavaScript and production dependencies only (no tsx, no TypeScript compiler)', () => {
    for (const s of SERVICES) {
      for (const f of ['dist/main.mjs', 'dist/migrate.mjs', 'dist/smoke.mjs', 'dist/functions/slugify.mjs', 'prisma/migrations']) expect(existsSync(join(layout(s), f)), `${s}: ${f}`).toBe(true);
      for (const f of ['node_modules/tsx', 'node_modules/typescript', 'node_modules/vitest', 'node_modules/prisma', 'src']) expect(existsSync(join(layout(s), f)), `${s}: ${f}`).toBe(false);
    }
  });

  it('migrates an empty database with dist/migrate.mjs, and a second time finds nothing to do', () => {
    const first = node('gateway', 'migrate.mjs');
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/created database .*\nmigrate: applied 20261123000000_init/);
    const again = node('gateway', 'migrate.mjs');
    expect(again.status, again.stderr).toBe(0);
    expect(again.stdout).toContain('the schema is up to date');
  });

  it('starts every service with plain node, and a workflow runs through them end to end (smoke.mjs)', async () => {
    for (const s of SERVICES) {
      const started = Date.now();
      const child = spawn(process.execPath, ['dist/main.mjs'], { cwd: layout(s), env: serviceEnv(s), stdio: ['ignore', 'pipe', 'pipe'] });
      logs.set(s, '');
      child.stdout!.on('data', (d) => logs.set(s, logs.get(s) + String(d)));
      child.stderr!.on('data', (d) => logs.set(s, logs.get(s) + String(d)));
      processes.push(child);
      await waitReady(s);
      startMs[s] = Date.now() - started;
    }
    const smoke = node('gateway', 'smoke.mjs', ['--url', `http://127.0.0.1:${ports.gateway}`, '--key', apiKey, '--json']);
    expect(smoke.status, `${smoke.stdout}\n${smoke.stderr}\n${[...logs].map(([k, v]) => `${k}: ${v.slice(-2000)}`).join('\n')}`).toBe(0);
    const result = JSON.parse(smoke.stdout.trim().split('\n').pop()!);
    expect(result.ok).toBe(true);
    expect(result.checks.map((c: { name: string }) => c.name)).toEqual(['readiness', 'API key', 'smoke workflow', 'start a run', 'run completes', 'output']);
    // The services' own metrics, from the compiled code too.
    expect(await (await fetch(`http://127.0.0.1:${ports.gateway}/metrics`)).text()).toMatch(/^weft_http_request_duration_seconds_count\{.*route="\/v1\/runs"/m);
    expect(await (await fetch(`http://127.0.0.1:${ports.executor}/metrics`)).text()).toMatch(/^weft_process_cpu_user_seconds_total\{service="executor"\}/m);
    expect((await fetch(`http://127.0.0.1:${ports.webhooks}/metrics`)).status).toBe(200);
  });

  it('fails the smoke check with the reason: a refused key, an unreachable deployment', () => {
    const badKey = node('gateway', 'smoke.mjs', ['--url', `http://127.0.0.1:${ports.gateway}`, '--key', generateApiKey()]);
    expect(badKey.status).toBe(1);
    expect(badKey.stdout).toMatch(/smoke: FAILED: API key: 401/);
    const nowhere = node('gateway', 'smoke.mjs', ['--url', 'http://127.0.0.1:9', '--key', apiKey, '--timeout', '5']);
    expect(nowhere.status).toBe(1);
    expect(nowhere.stdout).toMatch(/smoke: FAILED: readiness: http:\/\/127\.0\.0\.1:9 cannot be reached/);
    const usage = node('gateway', 'smoke.mjs', ['--url', `http://127.0.0.1:${ports.gateway}`]);
    expect(usage.status).toBe(2);
    expect(usage.stderr).toContain('no API key');
  });
});
