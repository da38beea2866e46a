import { readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';

/** How much of the machine other work took while the bench ran (Linux /proc; null elsewhere). */
export interface ForeignLoad {
  /** CPU seconds used by processes that are not the bench, its services, its database's backends or Redis. */
  cpuSeconds: number;
  /** That time as a share of all the CPUs over the sampled period (0..1). */
  share: number;
}

const TICKS = 100; // USER_HZ: /proc reports CPU time in 1/100 s on Linux

interface Proc {
  ppid: number;
  ticks: number;
  cmd: string;
}

function readProcs(): Map<number, Proc> {
  const out = new Map<number, Proc>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const cmd = readFileSync(`/proc/${name}/cmdline`, 'utf8').replaceAll('\0', ' ');
      out.set(Number(name), { ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]), cmd });
    } catch {
      // the process ended between readdir and read
    }
  }
  return out;
}

/**
 * Samples every process once a second and adds up the CPU time of the foreign ones, so that the
 * report says whether the machine was shared (tests or builds running beside the bench).
 * Processes living less than a second are missed: this is an indicator, not an accounting.
 */
export function watchForeignLoad(databaseName: string): { stop(): ForeignLoad | null } {
  if (process.platform !== 'linux') return { stop: () => null };
  const ours = (pid: number, p: Proc) =>
    pid === process.pid || p.ppid === process.pid || p.cmd.includes(databaseName) || p.cmd.startsWith('redis-server') || /^postgres: \S+ (checkpointer|background writer|walwriter|autovacuum|logical replication|stats)/.test(p.cmd);
  let last = readProcs();
  let foreignTicks = 0;
  const started = performance.now();
  const sample = () => {
    const now = readProcs();
    for (const [pid, p] of now) {
      const before = last.get(pid);
      if (before && !ours(pid, p)) foreignTicks += Math.max(0, p.ticks - before.ticks);
    }
    last = now;
  };
  const timer = setInterval(sample, 1000);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      sample();
      const wall = (performance.now() - started) / 1000;
      return { cpuSeconds: foreignTicks / TICKS, share: foreignTicks / TICKS / (wall * cpus().length) };
    },
  };
}
