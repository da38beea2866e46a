import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FAST_RECOVERY, STARTED, ServiceProcess, type ServiceKind } from '../cluster';
import { sleep } from '../infra';
import type { Host, Topology } from './netns';

export const GATEWAY_PORT = 8080;
export const OPS_PORT = 9100;

/** One service process on its own host (namespace). */
export interface Member {
  proc: ServiceProcess;
  host: Host;
  /** The gateway's API, or the worker's operations port (`/readyz`), reached over the bridge. */
  url: string;
}

/**
 * Weft's services spread over hosts: each process in its own network namespace, listening on its
 * host's address, reaching Postgres, Redis and the apply server over the bridge.
 */
export class Fleet {
  readonly apiKey = `weft_${randomBytes(32).toString('base64url')}`;
  readonly logFile: string;
  readonly members: Member[] = [];
  private readonly log: WriteStream;

  constructor(
    private readonly topology: Topology,
    private readonly env: Record<string, string>,
  ) {
    const dir = join(tmpdir(), 'weft-fault-logs');
    mkdirSync(dir, { recursive: true });
    this.logFile = join(dir, `scale-out-${new Date().toISOString().replace(/[:.]/g, '-')}.log`);
    this.log = createWriteStream(this.logFile);
    process.once('exit', () => this.members.forEach((m) => m.proc.alive && m.proc.child.kill('SIGKILL')));
  }

  /** Starts a service of `kind` on `host` (not waiting for it). */
  launch(kind: ServiceKind, host: Host): Member {
    const env = {
      ...process.env,
      ...FAST_RECOVERY,
      ...this.env,
      WEFT_BOOTSTRAP_API_KEY: this.apiKey,
      WEFT_GATEWAY_HOST: host.address,
      WEFT_GATEWAY_PORT: String(GATEWAY_PORT),
      WEFT_METRICS_HOST: host.address,
      WEFT_METRICS_PORT: String(OPS_PORT),
    };
    const proc = new ServiceProcess(host.name, kind, env, this.log, this.topology.exec(host));
    const member = { proc, host, url: `http://${host.address}:${kind === 'gateway' ? GATEWAY_PORT : OPS_PORT}` };
    this.members.push(member);
    return member;
  }

  of(kind: ServiceKind): Member[] {
    return this.members.filter((m) => m.proc.kind === kind);
  }

  async ready(m: Member, timeoutMs = 90_000): Promise<void> {
    if (m.proc.kind !== 'gateway') await m.proc.waitForLine(STARTED[m.proc.kind], timeoutMs);
    const until = Date.now() + timeoutMs;
    while (!(await isReady(m))) {
      if (!m.proc.alive) throw new Error(`${m.proc.name} exited (${m.proc.child.exitCode}) during start (logs: ${this.logFile})`);
      if (Date.now() > until) throw new Error(`${m.proc.name} not ready after ${timeoutMs} ms (logs: ${this.logFile})`);
      await sleep(200);
    }
  }

  /** Processes that exited without being asked to. */
  crashes(): string[] {
    return this.members.filter((m) => !m.proc.alive && !m.proc.expectedExit).map((m) => `${m.proc.name} exited ${m.proc.child.exitCode ?? m.proc.child.signalCode}: ${m.proc.lines.slice(-3).join(' | ')}`);
  }

  note(text: string): void {
    this.log.write(`${new Date().toISOString()} [test] ${text}\n`);
  }

  async stop(): Promise<void> {
    await Promise.all(this.members.map((m) => m.proc.terminate(10_000)));
    await new Promise<void>((resolve) => this.log.end(() => resolve()));
  }
}

/** `GET /readyz` answers 200: the process reaches Postgres and Redis (and the runner reaches it). */
export async function isReady(m: Member): Promise<boolean> {
  return fetch(`${m.url}/readyz`, { signal: AbortSignal.timeout(1000) }).then(
    (r) => r.ok,
    () => false,
  );
}
