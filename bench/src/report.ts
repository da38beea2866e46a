import { mkdir, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import type { ForeignLoad } from './machine';
import { round } from './stats';

/** One line of the results table. ratio = weft / baseline. */
export interface Row {
  workload: string;
  metric: string;
  weft: number;
  baseline: number | null;
  /** Which way is better, so that the ratio can be read (latency: lower; throughput: higher). */
  better: 'lower' | 'higher';
}

export interface WorkloadReport {
  description: string;
  /** Markdown lines printed under the table (breakdowns, caveats). */
  notes: string[];
  /** Raw samples and summaries, for anyone who wants to recompute. */
  details: Record<string, unknown>;
}

export interface Report {
  date: string;
  node: string;
  cpus: number;
  cpuModel: string;
  platform: string;
  /** Other work on the machine makes every number slower and noisier: load before, foreign CPU during. */
  machine: { loadBefore: number; foreign: ForeignLoad | null };
  settings: Record<string, unknown>;
  rows: Row[];
  workloads: Record<string, WorkloadReport>;
}

export function newReport(platform: string, settings: Record<string, unknown>, loadBefore: number): Report {
  const list = cpus();
  return {
    date: new Date().toISOString(),
    node: process.version,
    cpus: list.length,
    cpuModel: list[0]?.model ?? 'unknown',
    platform,
    machine: { loadBefore: round(loadBefore), foreign: null },
    settings,
    rows: [],
    workloads: {},
  };
}

const fmt = (x: number) => (!Number.isFinite(x) ? '—' : String(round(x, Math.abs(x) >= 100 ? 0 : Math.abs(x) >= 10 ? 1 : 2)));

/** The markdown table: workload | metric | weft | baseline | ratio. */
export function table(rows: readonly Row[]): string {
  const lines = ['| workload | metric | weft | baseline | ratio |', '|---|---|---:|---:|---:|'];
  for (const r of rows) {
    const ratio = r.baseline ? `${round(r.weft / r.baseline, 2)}×` : '—';
    lines.push(`| ${r.workload} | ${r.metric} | ${fmt(r.weft)} | ${r.baseline === null ? '—' : fmt(r.baseline)} | ${ratio} |`);
  }
  return lines.join('\n');
}

const foreign = (f: ForeignLoad | null) => (f ? `${Math.round(f.share * 100)}% (${round(f.cpuSeconds, 1)} CPU-s)` : 'unknown');

export function toMarkdown(r: Report): string {
  const out = [
    '# Weft benchmark results',
    '',
    `${r.date} · Node.js ${r.node} · ${r.cpus} CPUs (${r.cpuModel}) · services: ${r.platform}`,
    '',
    `Machine: 1-min load average ${r.machine.loadBefore} before the start; other processes took ${foreign(r.machine.foreign)} of the CPUs during the run (above a few % the numbers are slower and noisier).`,
    '',
    `Settings: ${Object.entries(r.settings).map(([k, v]) => `${k}=${v}`).join(', ')}`,
    '',
    'ratio = weft / baseline: above 1 means slower for latencies (ms), faster for throughputs (/s).',
    '',
    table(r.rows),
  ];
  for (const [name, w] of Object.entries(r.workloads)) out.push('', `## ${name}`, '', w.description, '', ...w.notes);
  return `${out.join('\n')}\n`;
}

/** Writes latest.json and latest.md into `dir`. */
export async function writeReport(r: Report, dir: URL): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(new URL('latest.json', dir), `${JSON.stringify(r, null, 2)}\n`);
  await writeFile(new URL('latest.md', dir), toMarkdown(r));
}
