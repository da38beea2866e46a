import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureDatabase, migrate } from '@weft/db';
import { WeftClient } from '@weft/sdk';
import { seedStarterTemplates } from '@weft/templates/seed';
import pg from 'pg';
import { DEMO_WORKFLOWS } from './demo-workflows';
import { ROOT, ensurePostgres, ensureRedis, type Infra } from './infra';
import { platformEnvs } from './service-env';
import { Supervisor } from './supervisor';

const GATEWAY_PORT = Number(process.env.WEFT_GATEWAY_PORT ?? 8080);
const STUDIO_PORT = Number(process.env.WEFT_STUDIO_PORT ?? 3000);
const WEBHOOKS_PORT = Number(process.env.WEFT_WEBHOOKS_PORT ?? 8090);
/** The workers' operations ports (/metrics, /healthz, /readyz): one each on one host. */
const ORCHESTRATOR_METRICS_PORT = Number(process.env.WEFT_ORCHESTRATOR_METRICS_PORT ?? 8091);
const EXECUTOR_METRICS_PORT = Number(process.env.WEFT_EXECUTOR_METRICS_PORT ?? 8092);
const DASHBOARD_PORT = Number(process.env.WEFT_DASHBOARD_PORT ?? 3001);
// A service that exits on its own is restarted (with backoff); the platform stops only on Ctrl-C or
// when one keeps crashing at start.
const supervisor = new Supervisor({
  onGiveUp: (name) => {
    console.error(`✖ ${name} keeps crashing at start; stopping the platform (its last lines are above).`);
    void shutdown(1);
  },
});
const infra: Infra[] = [];
let stopping = false;

/** The API key: WEFT_BOOTSTRAP_API_KEY, else a development key kept in .weft/dev-api-key. */
function apiKey(): string {
  if (process.env.WEFT_BOOTSTRAP_API_KEY) return process.env.WEFT_BOOTSTRAP_API_KEY;
  const file = join(ROOT, '.weft', 'dev-api-key');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(join(ROOT, '.weft'), { recursive: true });
  const key = `weft_dev_${randomBytes(24).toString('base64url')}`;
  writeFileSync(file, key, { mode: 0o600 });
  return key;
}

/**
 * The key-encryption keys of secrets: WEFT_KEKS / WEFT_KEK_CURRENT from the environment, else a
 * development KEK kept in .weft/dev-kek (like the API key). Lose that file and the secrets
 * stored with it can no longer be decrypted.
 */
function keks(): { WEFT_KEKS: string; WEFT_KEK_CURRENT: string } {
  if (process.env.WEFT_KEKS) return { WEFT_KEKS: process.env.WEFT_KEKS, WEFT_KEK_CURRENT: process.env.WEFT_KEK_CURRENT ?? '' };
  const file = join(ROOT, '.weft', 'dev-kek');
  let entry = existsSync(file) ? readFileSync(file, 'utf8').trim() : '';
  if (!entry) {
    mkdirSync(join(ROOT, '.weft'), { recursive: true });
    entry = `dev-1:${randomBytes(32).toString('base64')}`;
    writeFileSync(file, entry, { mode: 0o600 });
  }
  return { WEFT_KEKS: entry, WEFT_KEK_CURRENT: entry.slice(0, entry.indexOf(':')) };
}

/** Builds the studio and the dashboard (Next.js) through turbo, so an unchanged app is restored from its cache. */
function buildApps() {
  console.log('• Building the studio and the dashboard (cached after the first time)…');
  const res = spawnSync(join(ROOT, 'node_modules/.bin/turbo'), ['run', 'build', '--filter=@weft/studio', '--filter=@weft/dashboard', '--output-logs=errors-only'], {
    cwd: ROOT,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, PATH: `${join(ROOT, 'node_modules/.bin')}:${process.env.PATH ?? ''}`, NEXT_TELEMETRY_DISABLED: '1', TURBO_TELEMETRY_DISABLED: '1' },
  });
  if (res.status !== 0) throw new Error('the studio or the dashboard did not build');
}

function startService(name: string, entry: string, env: NodeJS.ProcessEnv, cmd = join(ROOT, 'node_modules/.bin/tsx'), args = [join(ROOT, entry)]) {
  supervisor.add(name, () => spawnService(name, env, cmd, args));
}

function spawnService(name: string, env: NodeJS.ProcessEnv, cmd: string, args: string[]): ChildProcess {
  const proc = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'], detached: false });
  const prefix = `[${name}]`.padEnd(15);
  for (const stream of [proc.stdout!, proc.stderr!]) {
    let buf = '';
    stream.on('data', (chunk: Buffer) => {
      buf += chunk.toString();
      const lines = buf.split('\n');
      buf = lines.pop() ?? '';
      for (const line of lines) if (line.trim()) process.stdout.write(`${prefix} ${line}\n`);
    });
  }
  return proc;
}

async function waitReady(url: string, timeoutMs = 60_000) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not become ready within ${timeoutMs / 1000} s`);
}

async function seed(client: WeftClient) {
  const existing = await client.listWorkflows({ limit: 200 });
  for (const demo of DEMO_WORKFLOWS) {
    if (existing.items.some((w) => w.name === demo.name)) continue;
    const wf = await client.createWorkflow({ name: demo.name, description: demo.description, definition: demo.definition });
    await client.publishVersion(wf.id);
  }
  const all = await client.listWorkflows({ limit: 200 });
  return DEMO_WORKFLOWS.map((d) => ({ ...d, id: all.items.find((w) => w.name === d.name)!.id }));
}

/** The starter templates, public in the gallery as the "Weft" creator's (idempotent: a changed starter becomes a new version). */
async function seedStarters(databaseUrl: string) {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 1 });
  try {
    const r = await seedStarterTemplates(pool);
    console.log(`• Starter templates: ${r.created.length} new, ${r.updated.length} updated, ${r.unchanged.length} unchanged${r.skipped.length ? `, ${r.skipped.length} slugs taken by another org` : ''}`);
    return r.created.length + r.updated.length + r.unchanged.length;
  } finally {
    await pool.end();
  }
}

/** The demo workflows live in org "default": signing in as DEV_EMAIL joins it as owner (an invitation, renewed at each start); DEV_EMAIL is also a platform admin (WEFT_PLATFORM_ADMINS). */
const DEV_EMAIL = 'dev@weft.local';
async function inviteDevUser(api: string, key: string) {
  const r = await fetch(`${api}/v1/invitations`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ email: DEV_EMAIL, role: 'owner' }),
  });
  // 409: already a member.
  if (r.status !== 201 && r.status !== 409) console.warn(`• Could not invite ${DEV_EMAIL}: ${r.status} ${await r.text()}`);
}

async function shutdown(code = 0) {
  if (stopping) return;
  stopping = true;
  supervisor.stop();
  console.log('\n• Stopping Weft…');
  await Promise.all(
    supervisor.processes().map(
      ({ proc }) =>
        new Promise<void>((resolve) => {
          if (proc.exitCode !== null) return resolve();
          proc.once('exit', () => resolve());
          proc.kill('SIGTERM');
          setTimeout(() => proc.kill('SIGKILL'), 10_000).unref();
        }),
    ),
  );
  for (const i of infra.reverse()) await i.stop().catch(() => undefined);
  console.log('• Stopped.');
  process.exit(code);
}

async function main() {
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));
  buildApps();
  const pgInfra = await ensurePostgres();
  infra.push(pgInfra);
  const redisInfra = await ensureRedis();
  infra.push(redisInfra);
  console.log(`• Postgres: ${pgInfra.source}\n• Redis:    ${redisInfra.source}`);
  if (await ensureDatabase(pgInfra.url)) console.log('• Created the database');
  const { applied } = await migrate(pgInfra.url);
  console.log(`• Migrations: ${applied.length ? `applied ${applied.join(', ')}` : 'up to date'}`);

  const key = apiKey();
  const api = `http://127.0.0.1:${GATEWAY_PORT}`;
  const hooks = process.env.WEFT_WEBHOOKS_PUBLIC_URL ?? `http://127.0.0.1:${WEBHOOKS_PORT}`;
  // Everything any service may need; each one is started with only what its env.ts declares
  // (service-env.ts): the KEKs go to the gateway and executor only, DATABASE_URL not to the studio.
  const envs = platformEnvs({
    ...process.env,
    DATABASE_URL: pgInfra.url,
    REDIS_URL: redisInfra.url,
    WEFT_BOOTSTRAP_API_KEY: key,
    ...keks(),
    WEFT_GATEWAY_PORT: String(GATEWAY_PORT),
    WEFT_WEBHOOKS_PORT: String(WEBHOOKS_PORT),
    WEFT_WEBHOOKS_PUBLIC_URL: hooks,
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
    WEFT_API_URL: api,
    // Sign-in works offline: links go to the gateway's development mailbox, and land on the studio.
    WEFT_DEV_MAILBOX: 'true',
    WEFT_DEV_MAILBOX_URL: `${api}/dev/mailbox`,
    WEFT_APP_URL: `http://localhost:${STUDIO_PORT}`,
    // The development user also runs the installation (template moderation), unless told otherwise.
    WEFT_PLATFORM_ADMINS: process.env.WEFT_PLATFORM_ADMINS ?? DEV_EMAIL,
    NEXT_TELEMETRY_DISABLED: '1',
  });
  startService('gateway', 'services/gateway/src/server.ts', envs.gateway);
  startService('orchestrator', 'services/orchestrator/src/main.ts', { ...envs.orchestrator, WEFT_METRICS_PORT: String(ORCHESTRATOR_METRICS_PORT) });
  startService('executor', 'services/executor/src/main.ts', { ...envs.executor, WEFT_METRICS_PORT: String(EXECUTOR_METRICS_PORT) });
  startService('webhooks', 'services/webhooks/src/main.ts', envs.webhooks);
  await waitReady(`${api}/readyz`);
  await waitReady(`http://127.0.0.1:${WEBHOOKS_PORT}/readyz`);
  const demos = await seed(new WeftClient({ baseUrl: api, apiKey: key }));
  const starters = await seedStarters(pgInfra.url);
  await inviteDevUser(api, key);
  // The studio proxies the browser's calls to the gateway with the user's session cookie (no API
  // key); it listens on loopback unless WEFT_STUDIO_HOST says otherwise.
  const studioDir = join(ROOT, 'apps/studio');
  startService('studio', '', envs.studio, join(studioDir, 'node_modules/.bin/next'), ['start', studioDir, '-p', String(STUDIO_PORT), '-H', process.env.WEFT_STUDIO_HOST ?? '127.0.0.1']);
  const studio = `http://localhost:${STUDIO_PORT}`;
  // The dashboard: the same access as the studio (loopback only, the user's session, no API key).
  // Its sign-in links land on the studio (WEFT_APP_URL); the session cookie is per host, not per
  // port, so the dashboard on the same host is signed in as well.
  const dashboardDir = join(ROOT, 'apps/dashboard');
  startService('dashboard', '', envs.dashboard, join(dashboardDir, 'node_modules/.bin/next'), ['start', dashboardDir, '-p', String(DASHBOARD_PORT), '-H', process.env.WEFT_DASHBOARD_HOST ?? '127.0.0.1']);
  const dashboard = `http://localhost:${DASHBOARD_PORT}`;
  await waitReady(`${studio}/api/weft/v1/auth/providers`);
  await waitReady(`${dashboard}/api/weft/v1/auth/providers`);

  console.log(`
──────────────────────────────────────────────────────────────
 Weft is running

 Studio     ${studio}
 Sign in    ${studio}/sign-in   as ${DEV_EMAIL} to see the demos (any email works); the link is in the mailbox
 Mailbox    ${api}/dev/mailbox
 Dashboard  ${dashboard}
 Templates  ${dashboard}/templates   (${starters} starters by @weft)
 API        ${api}/v1
 API docs   ${api}/docs   (OpenAPI: ${api}/openapi.json)
 Webhooks   ${hooks}/hooks/:id   (create one: POST ${api}/v1/workflows/:id/webhooks)
 API key    ${key}   (org "default", owner: for scripts and curl)
 Metrics    ${api}/metrics   orchestrator http://127.0.0.1:${ORCHESTRATOR_METRICS_PORT}/metrics   executor http://127.0.0.1:${EXECUTOR_METRICS_PORT}/metrics

 Demo workflows:
${demos.map((d) => `   ${d.name.padEnd(34)} ${d.id}`).join('\n')}

 Try it:
   curl -s -X POST ${api}/v1/runs \\
     -H 'authorization: Bearer ${key}' -H 'content-type: application/json' \\
     -d '{"workflowId":"${demos[0]!.id}","inputs":${JSON.stringify(demos[0]!.sampleInputs)}}'

 Press Ctrl-C to stop everything.
──────────────────────────────────────────────────────────────
`);
}

main().catch(async (err) => {
  console.error(`\n✖ ${(err as Error).message}`);
  await shutdown(1);
});
