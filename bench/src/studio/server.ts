import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { freePort } from '../platform';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const root = fileURLToPath(new URL('../../..', import.meta.url));
/** The Next.js apps the bench serves: the package name turbo builds and its folder. */
export const NEXT_APPS = {
  studio: { pkg: '@weft/studio', dir: `${root}apps/studio` },
  dashboard: { pkg: '@weft/dashboard', dir: `${root}apps/dashboard` },
} as const;
export type NextApp = keyof typeof NEXT_APPS;

export interface Studio {
  url: string;
  stop(): Promise<void>;
}

/**
 * Makes sure `apps/<app>/.next` is the production build of the current sources: `turbo run build`
 * (restored from turbo's cache when nothing changed, rebuilt otherwise), as `npm start` does.
 */
export function buildStudio(log: (m: string) => void, app: NextApp = 'studio'): void {
  const { pkg, dir } = NEXT_APPS[app];
  log(`${app}: turbo run build --filter=${pkg} (cached unless the sources changed)`);
  const res = spawnSync(`${root}node_modules/.bin/turbo`, ['run', 'build', `--filter=${pkg}`, '--output-logs=errors-only'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
    // turbo looks for pnpm on PATH (the workspace's own, as scripts/platform/start.ts does).
    env: { ...process.env, PATH: `${root}node_modules/.bin:${process.env.PATH ?? ''}`, NEXT_TELEMETRY_DISABLED: '1', TURBO_TELEMETRY_DISABLED: '1' },
  });
  if (res.status !== 0 || !existsSync(`${dir}/.next/BUILD_ID`)) throw new Error(`${app} build failed (exit ${res.status})`);
}

/**
 * A signed-in user for the studio on the bench database (the studio holds no API key: it forwards
 * the browser's session): a user, owner of the org the gateway bootstrapped, and a session row
 * stored as the gateway stores them (SHA-256 of the token). Returns the `weft_session` cookie value.
 */
export async function studioSession(databaseUrl: string): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  const userId = randomUUID();
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(`INSERT INTO users (id, email) VALUES ($1, $2)`, [userId, `bench-${userId}@example.com`]);
    const { rowCount } = await client.query(
      `INSERT INTO memberships (id, org_id, user_id, role) SELECT $1, id, $2, 'owner' FROM orgs WHERE slug = 'default'`,
      [randomUUID(), userId],
    );
    if (rowCount !== 1) throw new Error('no default org: start the services before the studio');
    await client.query(`INSERT INTO sessions (id, user_id, token_hash, expires_at) VALUES ($1, $2, $3, now() + interval '1 day')`, [
      randomUUID(), userId, createHash('sha256').update(token).digest('hex'),
    ]);
  } finally {
    await client.end();
  }
  return token;
}

/** `next start` of the built app (the studio unless told) on a free port, proxying to the gateway at `apiUrl`, as the e2e setup does. */
export async function startStudio(apiUrl: string, timeoutMs = 60_000, app: NextApp = 'studio'): Promise<Studio> {
  const port = await freePort();
  const { dir } = NEXT_APPS[app];
  const child = spawn(`${dir}/node_modules/.bin/next`, ['start', '-p', String(port), '-H', '127.0.0.1'], {
    cwd: dir,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, WEFT_API_URL: apiUrl, NEXT_TELEMETRY_DISABLED: '1' },
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    for (const line of chunk.split('\n')) if (line.trim()) process.stderr.write(`[${app}] ${line}\n`);
  });
  const url = `http://127.0.0.1:${port}`;
  const stop = () => terminate(child);
  try {
    const until = Date.now() + timeoutMs;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`next start exited (${child.exitCode})`);
      const ok = await fetch(`${url}/api/weft/v1/auth/providers`).then((r) => r.ok, () => false);
      if (ok) break;
      if (Date.now() > until) throw new Error(`the ${app} did not answer within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 200));
    }
    return { url, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

async function terminate(c: ChildProcess): Promise<void> {
  if (c.exitCode !== null || c.signalCode !== null) return;
  const done = new Promise((r) => c.once('exit', r));
  c.kill('SIGTERM');
  const timer = setTimeout(() => c.kill('SIGKILL'), 10_000);
  await done;
  clearTimeout(timer);
}
