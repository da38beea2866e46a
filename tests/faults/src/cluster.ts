import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WeftClient } from '@weft/sdk';
import { freePort, sleep } from './infra';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

export type ServiceKind = 'gateway' | 'orchestrator' | 'executor';

const ENTRY: Record<ServiceKind, string> = {
  gateway: 'services/gateway/src/server.ts',
  orchestrator: 'services/orchestrator/src/main.ts',
  executor: 'services/executor/src/main.ts',
};
export const STARTED: Record<ServiceKind, string> = {
  gateway: 'Server listening',
  orchestrator: 'orchestrator started',
  executor: 'executor started',
};

/** Settings that make faults show within seconds instead of the production minutes. */
export const FAST_RECOVERY: Record<string, string> = {
  WEFT_SWEEP_INTERVAL_MS: '250',
  WEFT_SWEEP_GRACE_MS: '250',
  WEFT_RECONCILE_AFTER_MS: '2000',
  WEFT_OUTBOX_RELAY_INTERVAL_MS: '250',
  WEFT_OUTBOX_GRACE_MS: '1000',
  WEFT_STEP_DEFAULT_TIMEOUT_MS: '5000',
  WEFT_STEP_LEASE_MS: '2000',
  WEFT_SHUTDOWN_GRACE_MS: '4000',
};

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** One service as a real operating-system process (`node --import tsx <entry>`). */
export class ServiceProcess {
  readonly child: ChildProcess;
  /** Every log line (pino JSON or plain stderr), for assertions. */
  readonly lines: string[] = [];
  readonly exited: Promise<Exit>;
  /** True once the harness signalled it to end (a kill or a stop), so its exit is not a crash. */
  expectedExit = false;
  private waiters = new Set<() => void>();

  constructor(
    readonly name: string,
    readonly kind: ServiceKind,
    env: NodeJS.ProcessEnv,
    log: WriteStream,
    /** A command the process runs under, e.g. `ip netns exec <ns>` (which execs, so the pid stays node's). */
    wrap: string[] = [],
  ) {
    const argv = [...wrap, process.execPath, '--import', 'tsx', ENTRY[kind]];
    this.child = spawn(argv[0]!, argv.slice(1), { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const pid = this.child.pid;
    for (const stream of [this.child.stdout!, this.child.stderr!]) {
      let rest = '';
      stream.setEncoding('utf8').on('data', (chunk: string) => {
        const parts = (rest + chunk).split('\n');
        rest = parts.pop() ?? '';
        for (const line of parts) {
          if (!line.trim()) continue;
          this.lines.push(line);
          log.write(`${new Date().toISOString()} [${name} ${pid}] ${line}\n`);
        }
        for (const w of this.waiters) w();
      });
    }
    this.exited = new Promise((resolve) =>
      this.child.once('exit', (code, signal) => {
        log.write(`${new Date().toISOString()} [${name} ${pid}] exited code=${code} signal=${signal}${this.expectedExit ? '' : ' (UNEXPECTED)'}\n`);
        resolve({ code, signal });
        for (const w of this.waiters) w();
      }),
    );
  }

  get pid(): number {
    return this.child.pid!;
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Sends a signal; SIGKILL/SIGTERM/SIGINT mark the exit as expected. */
  signal(sig: NodeJS.Signals): void {
    if (sig === 'SIGKILL' || sig === 'SIGTERM' || sig === 'SIGINT') this.expectedExit = true;
    if (this.alive) this.child.kill(sig);
  }

  async kill(): Promise<Exit> {
    this.signal('SIGKILL');
    return this.exited;
  }

  /** SIGTERM (graceful), SIGKILL after `timeoutMs`. */
  async terminate(timeoutMs = 15_000): Promise<Exit> {
    if (!this.alive) return this.exited;
    this.signal('SIGCONT'); // a frozen process cannot handle SIGTERM
    this.signal('SIGTERM');
    const timer = setTimeout(() => this.signal('SIGKILL'), timeoutMs);
    const exit = await this.exited;
    clearTimeout(timer);
    return exit;
  }

  /** Resolves with the first log line matching, or rejects after `timeoutMs` or when the process exits. */
  waitForLine(match: string | RegExp | ((line: string) => boolean), timeoutMs = 30_000): Promise<string> {
    const test = typeof match === 'function' ? match : (l: string) => (typeof match === 'string' ? l.includes(match) : match.test(l));
    return new Promise((resolve, reject) => {
      let seen = 0;
      const check = () => {
        for (; seen < this.lines.length; seen++) {
          if (test(this.lines[seen]!)) return done(() => resolve(this.lines[seen]!));
        }
        if (!this.alive) done(() => reject(new Error(`${this.name} exited (${this.child.exitCode ?? this.child.signalCode}) before logging ${String(match)}`)));
      };
      const timer = setTimeout(() => done(() => reject(new Error(`${this.name} did not log ${String(match)} within ${timeoutMs} ms`))), timeoutMs);
      const done = (fn: () => void) => {
        clearTimeout(timer);
        this.waiters.delete(check);
        fn();
      };
      this.waiters.add(check);
      check();
    });
  }

  /** Parsed pino lines (JSON), ignoring anything else. */
  records(): Record<string, unknown>[] {
    const out: Record<string, unknown>[] = [];
    for (const l of this.lines) {
      if (!l.startsWith('{')) continue;
      try {
        out.push(JSON.parse(l) as Record<string, unknown>);
      } catch {
        // not JSON
      }
    }
    return out;
  }
}

export interface ClusterOptions {
  /** Label of the log file. */
  label: string;
  databaseUrl: string;
  redisUrl: string;
  prefix?: string;
  orchestrators?: number;
  executors?: number;
  /** Environment of every service, over FAST_RECOVERY and the connection settings. */
  env?: Record<string, string>;
  executorEnv?: Record<string, string>;
}

/**
 * Gateway, N orchestrators and M executors as separate processes on one database and one Redis
 * prefix, as they run in production, with every line they log appended to `logFile`.
 */
export class Cluster {
  readonly url: string;
  readonly apiKey = `weft_${randomBytes(32).toString('base64url')}`;
  readonly client: WeftClient;
  readonly logFile: string;
  gateway!: ServiceProcess;
  orchestrators: ServiceProcess[] = [];
  executors: ServiceProcess[] = [];
  /** Every process ever started, in order. */
  readonly all: ServiceProcess[] = [];
  private readonly log: WriteStream;
  private readonly env: NodeJS.ProcessEnv;
  private seq: Record<ServiceKind, number> = { gateway: 0, orchestrator: 0, executor: 0 };

  private constructor(
    readonly opts: ClusterOptions,
    port: number,
  ) {
    const dir = join(tmpdir(), 'weft-fault-logs');
    mkdirSync(dir, { recursive: true });
    this.logFile = join(dir, `${opts.label}-${new Date().toISOString().replace(/[:.]/g, '-')}.log`);
    this.log = createWriteStream(this.logFile);
    this.url = `http://127.0.0.1:${port}`;
    this.client = new WeftClient({ baseUrl: this.url, apiKey: this.apiKey });
    this.env = {
      ...process.env,
      ...FAST_RECOVERY,
      DATABASE_URL: opts.databaseUrl,
      REDIS_URL: opts.redisUrl,
      WEFT_QUEUE_PREFIX: opts.prefix ?? 'weft',
      WEFT_GATEWAY_PORT: String(port),
      WEFT_BOOTSTRAP_API_KEY: this.apiKey,
      WEFT_HTTP_ALLOW_CIDRS: '127.0.0.1/32',
      // The remote side refuses on purpose in some tests; those are about recovery, not the circuit breaker.
      WEFT_HTTP_BREAKER_FAILURES: '1000',
      // 6 processes on one server with max_connections 100: keep each pool small.
      WEFT_DB_POOL_MAX: '8',
      WEFT_EXECUTOR_CONCURRENCY: '10',
      LOG_LEVEL: 'info',
      ...opts.env,
    };
    processes.add(this);
  }

  /** A cluster with no process yet (start them with `launch`). */
  static async create(opts: ClusterOptions): Promise<Cluster> {
    return new Cluster(opts, await freePort());
  }

  static async start(opts: ClusterOptions): Promise<Cluster> {
    const cluster = await Cluster.create(opts);
    try {
      // The gateway first: it bootstraps the org and API key the others do not need.
      cluster.gateway = cluster.launch('gateway');
      const workers = [
        ...Array.from({ length: opts.orchestrators ?? 2 }, () => cluster.launch('orchestrator')),
        ...Array.from({ length: opts.executors ?? 3 }, () => cluster.launch('executor')),
      ];
      await Promise.all([cluster.waitApi(60_000), ...workers.map((w) => cluster.ready(w))]);
    } catch (err) {
      await cluster.stop();
      throw new Error(`${(err as Error).message} (logs: ${cluster.logFile})`, { cause: err });
    }
    return cluster;
  }

  /** Starts one more process of a kind (not waiting for it). */
  launch(kind: ServiceKind, env: Record<string, string> = {}): ServiceProcess {
    const name = `${kind}-${++this.seq[kind]}`;
    const p = new ServiceProcess(name, kind, { ...this.env, ...(kind === 'executor' ? this.opts.executorEnv : {}), ...env }, this.log);
    this.all.push(p);
    if (kind === 'orchestrator') this.orchestrators.push(p);
    if (kind === 'executor') this.executors.push(p);
    return p;
  }

  /** Waits until the process logged that it started. */
  async ready(p: ServiceProcess, timeoutMs = 60_000): Promise<ServiceProcess> {
    if (p.kind === 'gateway') await this.waitApi(timeoutMs);
    else await p.waitForLine(STARTED[p.kind], timeoutMs);
    return p;
  }

  /** SIGKILLs a process and starts a replacement (not waiting for it to be ready). */
  async killAndReplace(p: ServiceProcess): Promise<ServiceProcess> {
    await p.kill();
    this.forget(p);
    return this.launch(p.kind);
  }

  /** Removes a process that ended from the live lists. */
  forget(p: ServiceProcess): void {
    this.orchestrators = this.orchestrators.filter((x) => x !== p);
    this.executors = this.executors.filter((x) => x !== p);
  }

  /** Processes that exited without the harness asking: crashes. */
  crashes(): string[] {
    return this.all.filter((p) => !p.alive && !p.expectedExit).map((p) => `${p.name} (pid ${p.pid}) exited ${p.child.exitCode ?? p.child.signalCode}: ${p.lines.slice(-3).join(' | ')}`);
  }

  /** Pino records of every process, with the process name. */
  records(filter?: (r: Record<string, unknown>) => boolean): (Record<string, unknown> & { proc: string })[] {
    return this.all.flatMap((p) => p.records().map((r) => ({ ...r, proc: p.name }))).filter((r) => !filter || filter(r));
  }

  note(text: string): void {
    this.log.write(`${new Date().toISOString()} [test] ${text}\n`);
  }

  async waitApi(timeoutMs: number): Promise<void> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const ok = await fetch(`${this.url}/readyz`).then((r) => r.ok, () => false);
      if (ok) return;
      if (this.gateway && !this.gateway.alive) throw new Error(`gateway exited (${this.gateway.child.exitCode}) during start`);
      if (Date.now() > until) throw new Error(`gateway not ready after ${timeoutMs} ms`);
      await sleep(100);
    }
  }

  /** Stops every process still running (SIGTERM, then SIGKILL) and closes the log. */
  async stop(): Promise<void> {
    await Promise.all(this.all.map((p) => p.terminate(10_000)));
    processes.delete(this);
    await new Promise<void>((resolve) => this.log.end(() => resolve()));
  }

  /** Synchronous last resort when the test process exits with processes still running. */
  killAllNow(): void {
    for (const p of this.all) if (p.alive) p.child.kill('SIGKILL');
  }
}

const processes = new Set<Cluster>();
process.once('exit', () => {
  for (const c of processes) c.killAllNow();
});
