import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const APP = join(dirname(fileURLToPath(import.meta.url)), '../..');
const ROOT = join(APP, '../..');

/**
 * Starts what the browser tests talk to: the whole backend in one process (fresh database, own
 * Redis prefix, a local stand-in for the internet) and the built dashboard (`next start`) proxying
 * to it. The tests read the addresses from the environment; the returned function stops both.
 */
export default async function globalSetup() {
  if (!existsSync(join(APP, '.next/BUILD_ID'))) await exited(spawn(join(APP, 'node_modules/.bin/next'), ['build'], { cwd: APP, stdio: 'inherit', env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' } }));
  const backend = spawn(join(ROOT, 'node_modules/.bin/tsx'), [join(APP, 'e2e/support/backend.ts')], { cwd: ROOT, stdio: ['pipe', 'pipe', 'inherit'], env: process.env });
  const { url, apiKey, echoUrl } = JSON.parse(await firstLine(backend, 60_000)) as { url: string; apiKey: string; echoUrl: string };
  const port = await freePort();
  const app = spawn(join(APP, 'node_modules/.bin/next'), ['start', '-p', String(port), '-H', '127.0.0.1'], {
    cwd: APP,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, WEFT_API_URL: url, WEFT_API_KEY: apiKey, NEXT_TELEMETRY_DISABLED: '1' },
  });
  const appUrl = `http://127.0.0.1:${port}`;
  await answers(`${appUrl}/api/weft/v1/runs/counts`, 60_000);
  Object.assign(process.env, { DASHBOARD_URL: appUrl, WEFT_API_URL: url, WEFT_API_KEY: apiKey, ECHO_URL: echoUrl });
  return async () => {
    await stop(app);
    await stop(backend);
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
