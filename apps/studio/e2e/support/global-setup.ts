import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const STUDIO = join(dirname(fileURLToPath(import.meta.url)), '../..');
const ROOT = join(STUDIO, '../..');

/**
 * Starts what the browser tests talk to: the whole backend in one process (fresh database, own
 * Redis prefix) and the built studio (`next start`) proxying to it. The tests read the addresses
 * from the environment; the returned function stops both.
 */
export default async function globalSetup() {
  if (!existsSync(join(STUDIO, '.next/BUILD_ID'))) await run(join(STUDIO, 'node_modules/.bin/next'), ['build'], STUDIO);
  // The studio's address first: the backend's sign-in links and redirects point at it.
  const port = await freePort();
  const studioUrl = `http://127.0.0.1:${port}`;
  const backend = spawn(join(ROOT, 'node_modules/.bin/tsx'), [join(STUDIO, 'e2e/support/backend.ts')], { cwd: ROOT, stdio: ['pipe', 'pipe', 'inherit'], env: { ...process.env, STUDIO_URL: studioUrl } });
  const info = await firstLine(backend, 60_000);
  const { url, apiKey, echoUrl, databaseUrl, sessionCookie } = JSON.parse(info) as { url: string; apiKey: string; echoUrl: string; databaseUrl: string; sessionCookie: string };
  // No API key: the studio forwards the signed-in user's session.
  const studio = spawn(join(STUDIO, 'node_modules/.bin/next'), ['start', '-p', String(port), '-H', '127.0.0.1'], {
    cwd: STUDIO,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, WEFT_API_URL: url, WEFT_DEV_MAILBOX_URL: `${url}/dev/mailbox`, NEXT_TELEMETRY_DISABLED: '1' },
  });
  await waitFor(`${studioUrl}/api/weft/v1/auth/providers`, 60_000);
  Object.assign(process.env, { STUDIO_URL: studioUrl, WEFT_API_URL: url, WEFT_API_KEY: apiKey, ECHO_URL: echoUrl, WEFT_TEST_DATABASE_URL: databaseUrl, WEFT_E2E_SESSION: sessionCookie });
  return async () => {
    await stop(studio);
    await stop(backend);
  };
}

function run(cmd: string, args: string[], cwd: string) {
  return new Promise<void>((resolve, reject) => {
    const p = spawn(cmd, args, { cwd, stdio: 'inherit', env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' } });
    p.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(' ')} exited ${code}`))));
  });
}

function firstLine(p: ChildProcess, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the backend did not start in time')), timeoutMs);
    createInterface({ input: p.stdout! }).once('line', (line) => {
      clearTimeout(timer);
      resolve(line);
    });
    p.once('exit', (code) => reject(new Error(`the backend exited (${code}) before it was ready`)));
  });
}

async function waitFor(url: string, timeoutMs: number) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

function stop(p: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (p.exitCode !== null || p.signalCode !== null) return resolve();
    const kill = setTimeout(() => p.kill('SIGKILL'), 10_000);
    p.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    p.kill('SIGTERM');
  });
}
