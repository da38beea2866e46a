import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../../..');

/** A Next.js app of apps/ served against a whole backend of its own, for Playwright's global setup. */
export interface WebAppUnderTest {
  /** Where the app answers (loopback, a free port). */
  url: string;
  /**
   * What the tests read: the gateway and its key (for the tests' own API client; the app holds
   * none), the stand-in for the internet, the database, and the session of a signed-in owner.
   */
  env: { WEFT_API_URL: string; WEFT_API_KEY: string; ECHO_URL: string; WEFT_TEST_DATABASE_URL: string; WEFT_E2E_SESSION: string };
  /** Stops the app, then the backend. */
  stop(): Promise<void>;
}

/**
 * Starts the whole backend in one process (fresh database, own Redis prefix, a local HTTP server
 * standing in for the internet: browser-backend.ts) and `next start` of the app's build against
 * it (built first if missing), then waits until `readyPath` of the app answers.
 */
export async function startWebAppUnderTest(opts: { appDir: string; readyPath: string }): Promise<WebAppUnderTest> {
  const next = join(opts.appDir, 'node_modules/.bin/next');
  if (!existsSync(join(opts.appDir, '.next/BUILD_ID'))) await exited(spawn(next, ['build'], { cwd: opts.appDir, stdio: 'inherit', env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' } }));
  // The app's address first: the backend's sign-in links and redirects point at it.
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const backend = spawn(join(ROOT, 'node_modules/.bin/tsx'), [join(ROOT, 'tests/integration/src/browser-backend.ts')], { cwd: ROOT, stdio: ['pipe', 'pipe', 'inherit'], env: { ...process.env, WEFT_E2E_APP_URL: url } });
  const info = JSON.parse(await firstLine(backend, 60_000)) as { url: string; apiKey: string; echoUrl: string; databaseUrl: string; sessionCookie: string };
  // No API key: the app forwards the signed-in user's session.
  const { WEFT_API_KEY: _none, ...appEnv } = process.env;
  const app = spawn(next, ['start', '-p', String(port), '-H', '127.0.0.1'], {
    cwd: opts.appDir,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...appEnv, WEFT_API_URL: info.url, WEFT_DEV_MAILBOX_URL: `${info.url}/dev/mailbox`, NEXT_TELEMETRY_DISABLED: '1' },
  });
  await answers(`${url}${opts.readyPath}`, 60_000);
  return {
    url,
    env: { WEFT_API_URL: info.url, WEFT_API_KEY: info.apiKey, ECHO_URL: info.echoUrl, WEFT_TEST_DATABASE_URL: info.databaseUrl, WEFT_E2E_SESSION: info.sessionCookie },
    stop: async () => {
      await stop(app);
      await stop(backend);
    },
  };
}

function exited(p: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => p.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${p.spawnargs.join(' ')} exited ${code}`)))));
}

function firstLine(p: ChildProcess, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the backend did not start in time')), timeoutMs);
    createInterface({ input: p.stdout! }).once('line', (line) => (clearTimeout(timer), resolve(line)));
    p.once('exit', (code) => reject(new Error(`the backend exited (${code}) before it was ready`)));
  });
}

async function answers(url: string, timeoutMs: number) {
  for (const until = Date.now() + timeoutMs; Date.now() < until; await new Promise((r) => setTimeout(r, 200))) {
    if (await fetch(url).then((r) => r.ok, () => false)) return;
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer().once('error', reject);
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
    p.once('exit', () => (clearTimeout(kill), resolve()));
    p.kill('SIGTERM');
  });
}
