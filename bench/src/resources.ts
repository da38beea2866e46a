import { readdirSync, readFileSync } from 'node:fs';
import pg from 'pg';
import { redisCommandsProcessed, type BenchInfra } from './infra';

/**
 * What one measured phase cost, to say what dominates its time: CPU seconds per process group
 * (from /proc, Linux only), WAL bytes Postgres wrote (server-wide) and Redis commands (all
 * clients). On a quiet machine nearly all of it is the phase's own work.
 */
export interface PhaseCost {
  wallMs: number;
  /** CPU seconds per group; `cores` = cpuSeconds / wall seconds (1 = one core busy the whole time). */
  cpu: Record<CpuGroup, { cpuSeconds: number; cores: number }> | null;
  walBytes: number;
  /**
   * Transactions committed in the bench database (every autocommit statement counts as one) and
   * rows written, from pg_stat_database (backends report within about a second: read after a pause).
   */
  pg: { xacts: number; rowsWritten: number };
  redisCommands: number;
  /** The busiest processes counted as `other` (command line, CPU seconds). */
  otherTop: { cmd: string; cpuSeconds: number }[];
  /**
   * Peak resident memory (MiB) of each service's process and of redis-server, from /proc/<pid>/status
   * `VmHWM` sampled with the CPU: the peak since the process started (a service's platform is
   * fresh per mode; Redis is the shared server, so its peak counts other work too).
   */
  peakRssMiB?: Partial<Record<CpuGroup, number>>;
}

/** The groups whose processes' peak memory is reported (Postgres backends share memory: not summable). */
const MEMORY_GROUPS: ReadonlySet<CpuGroup> = new Set(['orchestrator', 'executor', 'gateway', 'redis']);

/** A process's peak resident set (MiB), or 0 when it is gone. */
function peakRssOf(pid: number): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

export type CpuGroup = 'orchestrator' | 'executor' | 'gateway' | 'baseline' | 'postgres' | 'redis' | 'bench' | 'other';
const GROUPS: readonly CpuGroup[] = ['orchestrator', 'executor', 'gateway', 'baseline', 'postgres', 'redis', 'bench', 'other'];
const TICKS = 100; // USER_HZ

/** The services are children of the bench process started with their entry file (see platform.ts). */
function groupOf(pid: number, ppid: number, cmd: string, databaseName: string): CpuGroup {
  if (pid === process.pid) return 'bench';
  if (ppid === process.pid) {
    for (const g of ['orchestrator', 'executor', 'gateway'] as const) if (cmd.includes(`services/${g}/`)) return g;
    if (cmd.includes('bench/src/baseline/')) return 'baseline';
    if (cmd.includes('bench/src/load-process')) return 'bench';
    return 'other';
  }
  // The bench database's backends, and the server's shared writers (WAL writer, checkpointer, ...).
  if (cmd.startsWith('postgres:') && (cmd.includes(databaseName) || /^postgres: \S+ (checkpointer|background writer|walwriter|autovacuum)/.test(cmd))) return 'postgres';
  if (cmd.startsWith('redis-server')) return 'redis';
  return 'other';
}

interface ProcTicks {
  group: CpuGroup;
  ticks: number;
  cmd: string;
}

function readTicks(databaseName: string): Map<number, ProcTicks> {
  const out = new Map<number, ProcTicks>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const cmd = readFileSync(`/proc/${name}/cmdline`, 'utf8').replaceAll('\0', ' ').trim() || stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const pid = Number(name);
      out.set(pid, { group: groupOf(pid, Number(f[1]), cmd, databaseName), ticks: Number(f[11]) + Number(f[12]), cmd });
    } catch {
      // ended between readdir and read
    }
  }
  return out;
}

interface PgSnapshot {
  lsn: string;
  xacts: number;
  rowsWritten: number;
}

async function pgSnapshot(databaseUrl: string): Promise<PgSnapshot> {
  const c = new pg.Client({ connectionString: databaseUrl });
  await c.connect();
  try {
    const { rows } = await c.query<{ lsn: string; xacts: string; written: string }>(
      `SELECT pg_current_wal_lsn()::text AS lsn, xact_commit::text AS xacts, (tup_inserted + tup_updated + tup_deleted)::text AS written
       FROM pg_stat_database WHERE datname = current_database()`,
    );
    return { lsn: rows[0]!.lsn, xacts: Number(rows[0]!.xacts), rowsWritten: Number(rows[0]!.written) };
  } finally {
    await c.end();
  }
}

async function walDiff(databaseUrl: string, from: string, to: string): Promise<number> {
  const c = new pg.Client({ connectionString: databaseUrl });
  await c.connect();
  try {
    return Number((await c.query<{ d: string }>('SELECT pg_wal_lsn_diff($2::pg_lsn, $1::pg_lsn)::text AS d', [from, to])).rows[0]!.d);
  } finally {
    await c.end();
  }
}

/** Backends flush their statistics at most once a second; past this pause a phase's counts are in. */
const STATS_PAUSE_MS = 1200;

/** Starts measuring; `stop()` answers the phase's cost. Sampled every 250 ms so that short-lived backends count too. */
export async function watchPhase(infra: BenchInfra): Promise<{ stop(): Promise<PhaseCost> }> {
  const databaseName = new URL(infra.databaseUrl).pathname.slice(1);
  const linux = process.platform === 'linux';
  // Let the previous phase's statistics come in first, so that they are not counted here.
  await new Promise((r) => setTimeout(r, STATS_PAUSE_MS));
  const [before, commands] = await Promise.all([pgSnapshot(infra.databaseUrl), redisCommandsProcessed(infra.redisUrl)]);
  const totals = Object.fromEntries(GROUPS.map((g) => [g, 0])) as Record<CpuGroup, number>;
  const other = new Map<string, number>();
  const peakRssMiB: Partial<Record<CpuGroup, number>> = {};
  let last = linux ? readTicks(databaseName) : new Map<number, ProcTicks>();
  const sample = () => {
    const now = readTicks(databaseName);
    for (const [pid, p] of now) {
      if (MEMORY_GROUPS.has(p.group)) peakRssMiB[p.group] = Math.max(peakRssMiB[p.group] ?? 0, peakRssOf(pid));
      const prev = last.get(pid);
      if (!prev) continue;
      const d = Math.max(0, p.ticks - prev.ticks);
      totals[p.group] += d;
      if (p.group === 'other' && d > 0) {
        const key = p.cmd.slice(0, 80);
        other.set(key, (other.get(key) ?? 0) + d);
      }
    }
    last = now;
  };
  const timer = linux ? setInterval(sample, 250) : undefined;
  timer?.unref();
  const t0 = performance.now();
  return {
    async stop() {
      const wallMs = performance.now() - t0;
      clearInterval(timer);
      if (linux) sample();
      const [lsnAfter, commandsAfter] = await Promise.all([pgSnapshot(infra.databaseUrl).then((s) => s.lsn), redisCommandsProcessed(infra.redisUrl)]);
      await new Promise((r) => setTimeout(r, STATS_PAUSE_MS));
      const after = await pgSnapshot(infra.databaseUrl);
      const walBytes = await walDiff(infra.databaseUrl, before.lsn, lsnAfter);
      // The two snapshots' own SELECTs count as transactions too: leave them out.
      const pgCounts = { xacts: after.xacts - before.xacts - 2, rowsWritten: after.rowsWritten - before.rowsWritten };
      const cpu = linux
        ? (Object.fromEntries(GROUPS.map((g) => [g, { cpuSeconds: totals[g] / TICKS, cores: totals[g] / TICKS / (wallMs / 1000) }])) as PhaseCost['cpu'])
        : null;
      const otherTop = [...other].sort((a, b) => b[1] - a[1]).slice(0, 5).map(([cmd, t]) => ({ cmd, cpuSeconds: t / TICKS }));
      return { wallMs, cpu, walBytes, pg: pgCounts, redisCommands: commandsAfter - commands, otherTop, ...(linux ? { peakRssMiB } : {}) };
    },
  };
}

/** One markdown line: where the CPU went during a phase, busiest first. */
export function describeCost(label: string, cost: PhaseCost, per?: { n: number; unit: string }): string {
  const cpu = cost.cpu
    ? Object.entries(cost.cpu)
        .filter(([, v]) => v.cpuSeconds > 0)
        .sort((a, b) => b[1].cpuSeconds - a[1].cpuSeconds)
        .map(([g, v]) => `${g} ${v.cpuSeconds.toFixed(1)} s (${v.cores.toFixed(2)} cores)`)
        .join(', ')
    : 'CPU split unavailable (not Linux)';
  const perUnit = per
    ? `; per ${per.unit}: ${(cost.pg.xacts / per.n).toFixed(1)} Postgres transactions, ${(cost.pg.rowsWritten / per.n).toFixed(1)} rows written, ` +
      `${(cost.walBytes / per.n / 1024).toFixed(1)} KiB WAL, ${(cost.redisCommands / per.n).toFixed(1)} Redis commands`
    : '';
  const top = cost.otherTop.filter((o) => o.cpuSeconds >= 0.1).map((o) => `\`${o.cmd}\` ${o.cpuSeconds.toFixed(1)} s`);
  const others = top.length ? ` (other: ${top.join(', ')})` : '';
  const peaks = Object.entries(cost.peakRssMiB ?? {}).filter(([, v]) => v > 0);
  const memory = peaks.length ? `; peak RSS ${peaks.map(([g, v]) => `${g} ${Math.round(v)} MiB`).join(', ')}` : '';
  return `- **${label}** (${(cost.wallMs / 1000).toFixed(1)} s wall): CPU ${cpu}${others}; Postgres ${cost.pg.xacts} transactions, WAL ${(cost.walBytes / 1048576).toFixed(1)} MiB; Redis ${cost.redisCommands} commands${perUnit}${memory}.`;
}

/** Adds up the costs of several phases (e.g. the measured runs of one mode). */
export function sumCosts(costs: readonly PhaseCost[]): PhaseCost {
  const wallMs = costs.reduce((a, c) => a + c.wallMs, 0);
  const first = costs[0]?.cpu;
  const cpu = first
    ? (Object.fromEntries(
        Object.keys(first).map((g) => {
          const cpuSeconds = costs.reduce((a, c) => a + (c.cpu?.[g as CpuGroup].cpuSeconds ?? 0), 0);
          return [g, { cpuSeconds, cores: cpuSeconds / (wallMs / 1000) }];
        }),
      ) as PhaseCost['cpu'])
    : null;
  const other = new Map<string, number>();
  for (const c of costs) for (const o of c.otherTop) other.set(o.cmd, (other.get(o.cmd) ?? 0) + o.cpuSeconds);
  const otherTop = [...other].sort((a, b) => b[1] - a[1]).slice(0, 5).map(([cmd, cpuSeconds]) => ({ cmd, cpuSeconds }));
  const pgSum = { xacts: costs.reduce((a, c) => a + c.pg.xacts, 0), rowsWritten: costs.reduce((a, c) => a + c.pg.rowsWritten, 0) };
  const peakRssMiB: Partial<Record<CpuGroup, number>> = {};
  for (const c of costs) for (const [g, v] of Object.entries(c.peakRssMiB ?? {})) peakRssMiB[g as CpuGroup] = Math.max(peakRssMiB[g as CpuGroup] ?? 0, v);
  return { wallMs, cpu, walBytes: costs.reduce((a, c) => a + c.walBytes, 0), pg: pgSum, redisCommands: costs.reduce((a, c) => a + c.redisCommands, 0), otherTop, peakRssMiB };
}
