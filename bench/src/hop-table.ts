import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BareMark } from './baseline/bullmq-chain';
import { summarize, type Summary } from './stats';

/** One hop of a queued step, between two marks (see packages/queue/src/hops.ts for where they are taken). */
export interface Hop {
  label: string;
  samples: number[];
}

/** One mark as read from a trace folder: its event prefixed by the service (`executor:exec.pick`). */
export type Mark = [event: string, runId: string, key: string, at: number];

/** What each service process's trace preload counted (bench/src/profile/trace.mjs). */
export interface ServiceTrace {
  service: string;
  queries: { name: string; count: number; ms: number }[];
  redis: { name: string; count: number; ms: number }[];
  eventLoopDelayMs: { mean: number; p50: number; p99: number; max: number };
  /** CPU time of the process over its life (user + system). */
  cpuMs: number;
}

/** Reads the marks (`hops-<service>-<pid>.json`, events prefixed by service) and traces of a traced platform. */
export async function readTraceDir(dir: string): Promise<{ marks: Mark[]; traces: ServiceTrace[] }> {
  const files = await readdir(dir);
  const marks: Mark[] = [];
  const traces: ServiceTrace[] = [];
  for (const f of files) {
    const text = await readFile(join(dir, f), 'utf8');
    const hops = /^hops-([a-z]+)-\d+\.json$/.exec(f);
    if (hops) for (const [event, runId, key, at] of JSON.parse(text) as Mark[]) marks.push([`${hops[1]}:${event}`, runId, key, at]);
    else if (f.startsWith('trace-')) traces.push(JSON.parse(text) as ServiceTrace);
  }
  return { marks, traces };
}

/**
 * Per executor step of the given runs (every step but each run's last, which has no next
 * transition), the time between consecutive marks:
 * A orchestrator hands the execute-step job to BullMQ (its transition committed) → B add answered →
 * C executor's processor starts → D claimed → E processor returned → F completion written →
 * G settled job added → H orchestrator's processor starts → I the next step's job handed to BullMQ.
 */
export function weftHops(marks: readonly Mark[], runIds: readonly string[]): Hop[] {
  const wanted = new Set(runIds);
  const byRun = new Map<string, Map<string, number>>();
  const publishes = new Map<string, { key: string; at: number }[]>();
  for (const [event, runId, key, at] of marks) {
    if (!wanted.has(runId)) continue;
    const m = byRun.get(runId) ?? byRun.set(runId, new Map()).get(runId)!;
    m.set(`${event}|${key}`, at);
    if (event === 'orchestrator:publish' && key.startsWith('step.')) (publishes.get(runId) ?? publishes.set(runId, []).get(runId)!).push({ key, at });
  }
  const names = [
    'orchestrator: add execute-step job (A→B)',
    'job added → executor processor starts (B→C: wake-up, moveToActive)',
    'executor: claim statement (C→D)',
    'executor: graph, context, processor (D→E)',
    'executor: completion statement + outbox row (E→F)',
    'executor: add settled job (F→G)',
    'job added → orchestrator processor starts (G→H: wake-up, moveToActive)',
    'orchestrator: transition (read run, decide, one write, commit) (H→I)',
    'total per step (A→I)',
  ];
  const samples: number[][] = names.map(() => []);
  for (const [runId, list] of publishes) {
    const m = byRun.get(runId)!;
    list.sort((a, b) => a.at - b.at);
    for (let k = 0; k + 1 < list.length; k++) {
      const job = list[k]!.key;
      const stepId = job.split('.')[1]!;
      const settled = `settled.${stepId}.succeeded`;
      const t = [
        list[k]!.at,
        m.get(`orchestrator:published|${job}`),
        m.get(`executor:exec.pick|${job}`),
        m.get(`executor:exec.claimed|${stepId}`),
        m.get(`executor:exec.processed|${stepId}`),
        m.get(`executor:exec.completed|${stepId}`),
        m.get(`executor:published|${settled}`),
        m.get(`orchestrator:orch.pick|${settled}`),
        list[k + 1]!.at,
      ];
      if (t.some((x) => x === undefined)) continue;
      const at = t as number[];
      for (let h = 0; h + 1 < at.length; h++) samples[h]!.push(at[h + 1]! - at[h]!);
      samples[names.length - 1]!.push(at[at.length - 1]! - at[0]!);
    }
  }
  return names.map((label, i) => ({ label, samples: samples[i]! }));
}

/**
 * The same with steps settled where they ran and the next one dispatched eagerly (the default since
 * 2026-12-05): per executor step of the given runs (every step but each run's last), from the end
 * of its processor to the end of the next step's processor, all in the executor:
 * E processor returned → R completion + run read (one statement; none for a step claimed by this
 * process's own write, whose run is known) → D decided → W written (the guarded transition write,
 * the next step claimed in it; with the completion when the run is known) → S jobs and live events handed on →
 * E' the next step's graph, context and processor. A step that fell back to the orchestrator
 * shows in the totals (its hops are then the orchestrator's, between S and E').
 */
export function weftHopsInPlace(marks: readonly Mark[], runIds: readonly string[]): Hop[] {
  const wanted = new Set(runIds);
  const at = new Map<string, number>();
  const processed = new Map<string, { key: string; at: number }[]>();
  for (const [event, runId, key, t] of marks) {
    if (!wanted.has(runId)) continue;
    at.set(`${event}|${key}`, t);
    if (event === 'executor:exec.processed') (processed.get(runId) ?? processed.set(runId, []).get(runId)!).push({ key, at: t });
  }
  const names = [
    'executor: completion + outbox row + run read, one statement; nothing when the run is known (E→R)',
    'executor: decide (R→D)',
    'executor: one statement: the guarded transition write, next step claimed in it, with the completion when the run is known (D→W)',
    'executor: publish jobs and live events (W→S)',
    'executor: next step: graph, context, processor (S→E\')',
    'total per step (E→E\')',
  ];
  const samples: number[][] = names.map(() => []);
  for (const list of processed.values()) {
    list.sort((a, b) => a.at - b.at);
    for (let k = 0; k + 1 < list.length; k++) {
      const stepId = list[k]!.key;
      const t = [list[k]!.at, at.get(`executor:exec.read|${stepId}`), at.get(`executor:exec.decided|${stepId}`), at.get(`executor:exec.written|${stepId}`), at.get(`executor:exec.settled|${stepId}`), list[k + 1]!.at];
      if (t.some((x) => x === undefined)) continue;
      const v = t as number[];
      for (let h = 0; h + 1 < v.length; h++) samples[h]!.push(v[h + 1]! - v[h]!);
      samples[names.length - 1]!.push(v[v.length - 1]! - v[0]!);
    }
  }
  return names.map((label, i) => ({ label, samples: samples[i]! }));
}

/** The baseline's hops per step (all but each chain's last): pick → INSERT done → next job added → next job picked. */
export function bareHops(marks: readonly BareMark[]): Hop[] {
  const at = new Map(marks.map(([e, c, s, t]) => [`${e}|${c}|${s}`, t]));
  const names = ['INSERT (pick → inserted)', 'add next job (inserted → added)', 'job added → processor starts (moveToFinished fetches it)', 'total per step'];
  const samples: number[][] = names.map(() => []);
  for (const [e, c, s] of marks) {
    if (e !== 'pick') continue;
    const t = [at.get(`pick|${c}|${s}`), at.get(`inserted|${c}|${s}`), at.get(`published|${c}|${s + 1}`), at.get(`pick|${c}|${s + 1}`)];
    if (t.some((x) => x === undefined)) continue;
    const v = t as number[];
    for (let h = 0; h < 3; h++) samples[h]!.push(v[h + 1]! - v[h]!);
    samples[3]!.push(v[3]! - v[0]!);
  }
  return names.map((label, i) => ({ label, samples: samples[i]! }));
}

export function hopTable(hops: readonly Hop[]): string[] {
  const total = summarize(hops[hops.length - 1]!.samples);
  return [
    '| hop | median ms | mean ms | p99 ms | share of mean |',
    '|---|---:|---:|---:|---:|',
    ...hops.map((h) => {
      const s: Summary = summarize(h.samples);
      return `| ${h.label} | ${s.median.toFixed(3)} | ${s.mean.toFixed(3)} | ${s.p99.toFixed(3)} | ${Math.round((100 * s.mean) / total.mean)}% |`;
    }),
  ];
}

/** Statements, Redis commands (scripts by name) per step, and event-loop delay, per service. */
export function countTable(traces: readonly ServiceTrace[], steps: number): string[] {
  const out = [
    '| service | CPU ms per step | Postgres statements per step (mean client-observed ms each) | Redis commands per step | event-loop delay p50 / p99 / max ms |',
    '|---|---:|---|---|---:|',
  ];
  const per = (list: { name: string; count: number; ms: number }[], withMs: boolean) =>
    list
      .filter((q) => q.count / steps >= 0.05)
      .map((q) => `${q.name} ${(q.count / steps).toFixed(2)}${withMs ? ` (${(q.ms / q.count).toFixed(2)})` : ''}`)
      .join('; ') || '—';
  for (const t of [...traces].sort((a, b) => a.service.localeCompare(b.service))) {
    const d = t.eventLoopDelayMs;
    out.push(`| ${t.service} | ${(t.cpuMs / steps).toFixed(2)} | ${per(t.queries, true)} | ${per(t.redis, false)} | ${d.p50.toFixed(1)} / ${d.p99.toFixed(1)} / ${d.max.toFixed(1)} |`);
  }
  return out;
}
