import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer, type AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { QUEUES, queuePrefix } from '@weft/queue';
import { WeftClient } from '@weft/sdk';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import type { BenchInfra } from './infra';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** What users run: each service its own Node.js process, started as its package's `start` script does. */
const SERVICES = [
  { name: 'gateway', entry: 'services/gateway/src/server.ts' },
  { name: 'orchestrator', entry: 'services/orchestrator/src/main.ts' },
  { name: 'executor', entry: 'services/executor/src/main.ts' },
] as const;
/** Started too when a workload sets WEFT_WEBHOOKS_PORT in its overrides (the `webhook` row). */
const WEBHOOKS = { name: 'webhooks', entry: 'services/webhooks/src/main.ts' } as const;

export interface BenchPlatform {
  url: string;
  client: WeftClient;
  /** The bootstrap admin key, for load generators that send raw HTTP. */
  apiKey: string;
  /** Settings given to the services beyond their defaults. */
  overrides: Record<string, string>;
  stop(): Promise<void>;
}

/** How the services run, for the report. */
export const PLATFORM_MODE = 'gateway, orchestrator and executor as separate processes (node --import tsx), default settings';

/**
 * Starts gateway, orchestrator and executor(s) as separate processes on the bench's database and
 * Redis prefix, with the services' default settings plus `overrides`, and waits until the API
 * answers and both queues have a worker.
 */
export async function startPlatform(
  infra: BenchInfra,
  opts: { overrides?: Record<string, string>; startTimeoutMs?: number; executors?: number } = {},
): Promise<BenchPlatform> {
  const overrides = opts.overrides ?? {};
  const port = await freePort();
  const apiKey = `weft_${randomBytes(32).toString('base64url')}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: infra.databaseUrl,
    REDIS_URL: infra.redisUrl,
    WEFT_QUEUE_PREFIX: infra.prefix,
    WEFT_GATEWAY_PORT: String(port),
    WEFT_BOOTSTRAP_API_KEY: apiKey,
    LOG_LEVEL: 'warn',
    ...overrides,
  };
  const webhooksPort = overrides.WEFT_WEBHOOKS_PORT;
  // `executors` executor processes (the `scale` row starts 1, 2 and 4; every other row one).
  const executors = Array.from({ length: Math.max(0, (opts.executors ?? 1) - 1) }, () => SERVICES[2]);
  const children = [...SERVICES, ...executors, ...(webhooksPort ? [WEBHOOKS] : [])].map((s) => launch(s.name, s.entry, env));
  const stop = () => Promise.all(children.map((c) => terminate(c))).then(() => undefined);
  try {
    const url = `http://127.0.0.1:${port}`;
    await Promise.race([
      waitReady(url, infra, opts.startTimeoutMs ?? 60_000, webhooksPort ? `http://127.0.0.1:${webhooksPort}` : undefined, opts.executors ?? 1),
      ...children.map((c) => exited(c).then((code) => Promise.reject(new Error(`${c.name} exited (${code}) during start`)))),
    ]);
    return { url, client: new WeftClient({ baseUrl: url, apiKey }), apiKey, overrides, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

type Child = ChildProcess & { name: string };

function launch(name: string, entry: string, env: NodeJS.ProcessEnv): Child {
  // BENCH_SERVICE_NODE_ARGS (profiling, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof") goes to every service.
  const extra = (env.BENCH_SERVICE_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...extra, '--import', 'tsx', entry], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] }) as Child;
  child.name = name;
  // Warnings and errors of the services stay visible, one prefixed line each.
  for (const stream of [child.stdout!, child.stderr!]) {
    let rest = '';
    stream.setEncoding('utf8').on('data', (chunk: string) => {
      const lines = (rest + chunk).split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) if (line.trim()) process.stderr.write(`[${name}] ${line}\n`);
    });
  }
  return child;
}

function exited(c: Child): Promise<number | string> {
  if (c.exitCode !== null || c.signalCode !== null) return Promise.resolve(c.exitCode ?? c.signalCode!);
  return new Promise((resolve) => c.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')));
}

/** SIGTERM (the services shut down gracefully), SIGKILL after 10 s. */
async function terminate(c: Child): Promise<void> {
  if (c.exitCode !== null || c.signalCode !== null) return;
  const done = exited(c);
  c.kill('SIGTERM');
  const timer = setTimeout(() => c.kill('SIGKILL'), 10_000);
  await done;
  clearTimeout(timer);
}

/** Ready: the API answers, the orchestrator queue has a worker and the executor queue one per executor process. */
async function waitReady(url: string, infra: BenchInfra, timeoutMs: number, webhooksUrl: string | undefined, executors: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  const redis = new Redis(infra.redisUrl, { maxRetriesPerRequest: null });
  const queues = [QUEUES.orchestrator, QUEUES.executor].map((q) => new Queue(q, { connection: redis, prefix: queuePrefix(infra.prefix, q) }));
  try {
    for (;;) {
      const ready = (u: string) => fetch(`${u}/readyz`).then((r) => r.ok, () => false);
      const api = (await ready(url)) && (!webhooksUrl || (await ready(webhooksUrl)));
      const workers = await Promise.all(queues.map((q) => q.getWorkersCount()));
      if (api && workers[0]! > 0 && workers[1]! >= executors) return;
      if (Date.now() > until) throw new Error(`services not ready after ${timeoutMs} ms (api ${api}, workers ${workers.join('/')})`);
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    await Promise.all(queues.map((q) => q.close()));
    redis.disconnect();
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}
