import type { ChildProcess } from 'node:child_process';

export interface SupervisorOptions {
  /** First restart delay; doubled after each crash at start, up to `maxBackoffMs` (ms). */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** A crash within this long of the start counts as "crashing at start" (ms). */
  startWindowMs?: number;
  /** Consecutive crashes at start after which the service is given up on. */
  maxStartCrashes?: number;
  log?: (line: string) => void;
  /** Called once when a service keeps crashing at start: the caller stops the platform. */
  onGiveUp: (name: string, reason: string) => void;
}

interface Service {
  name: string;
  spawn: () => ChildProcess;
  proc?: ChildProcess;
  startedAt: number;
  startCrashes: number;
  timer?: NodeJS.Timeout;
}

/**
 * Keeps `npm start`'s services running: a service that exits on its own (an OOM kill, a crash,
 * `kill -9`) is restarted with exponential backoff, and the log says which one and why. A lost
 * executor is not a reason to stop the platform: its steps are re-queued from Postgres when their
 * lease expires. Only a service that keeps crashing at start (`maxStartCrashes` times in a row,
 * each within `startWindowMs` of its start: a bad setting, a port taken) makes the platform stop;
 * a service that ran longer than that starts over with a clean count and the first backoff.
 */
export class Supervisor {
  private readonly services = new Map<string, Service>();
  private stopping = false;
  private readonly o: Required<Omit<SupervisorOptions, 'onGiveUp'>> & Pick<SupervisorOptions, 'onGiveUp'>;

  constructor(o: SupervisorOptions) {
    this.o = { initialBackoffMs: 1000, maxBackoffMs: 30_000, startWindowMs: 60_000, maxStartCrashes: 5, log: (l) => console.error(l), ...o };
  }

  /** Starts a service and supervises it; `spawn` starts one process of it (called again on every restart). */
  add(name: string, spawn: () => ChildProcess): void {
    const s: Service = { name, spawn, startedAt: 0, startCrashes: 0 };
    this.services.set(name, s);
    this.launch(s);
  }

  /** The processes running now (for shutdown). */
  processes(): { name: string; proc: ChildProcess }[] {
    return [...this.services.values()].filter((s) => s.proc && s.proc.exitCode === null && s.proc.signalCode === null).map((s) => ({ name: s.name, proc: s.proc! }));
  }

  /** From now on an exit is expected: nothing is restarted. */
  stop(): void {
    this.stopping = true;
    for (const s of this.services.values()) clearTimeout(s.timer);
  }

  private launch(s: Service): void {
    s.startedAt = Date.now();
    const proc = s.spawn();
    s.proc = proc;
    proc.once('exit', (code, signal) => this.exited(s, proc, code, signal));
  }

  private exited(s: Service, proc: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (this.stopping || s.proc !== proc) return;
    const upMs = Date.now() - s.startedAt;
    const why = signal ? `killed by ${signal}` : `exit code ${code}${code === 137 ? ' (killed: SIGKILL, e.g. out of memory)' : ''}`;
    const up = `after ${(upMs / 1000).toFixed(1)} s`;
    s.startCrashes = upMs < this.o.startWindowMs ? s.startCrashes + 1 : 1;
    if (s.startCrashes >= this.o.maxStartCrashes) {
      const reason = `${s.name} crashed ${s.startCrashes} times in a row within ${this.o.startWindowMs / 1000} s of starting (last: ${why} ${up})`;
      this.o.log(`✖ ${reason}; giving up.`);
      this.o.onGiveUp(s.name, reason);
      return;
    }
    const delay = Math.min(this.o.initialBackoffMs * 2 ** (s.startCrashes - 1), this.o.maxBackoffMs);
    this.o.log(`✖ ${s.name} exited (${why}) ${up}; restarting it in ${delay < 1000 ? `${delay} ms` : `${(delay / 1000).toFixed(1)} s`} (crash ${s.startCrashes} of ${this.o.maxStartCrashes} allowed at start).`);
    s.timer = setTimeout(() => {
      if (this.stopping) return;
      this.o.log(`↻ restarting ${s.name}`);
      this.launch(s);
    }, delay);
  }
}
