import { cpus } from 'node:os';
import type { CreateWorkflowBody, Run, RunEvent } from '@weft/workflow-schema';
import { BareFanout, type FanoutTiming } from '../baseline/bullmq-fanout';
import type { BenchPlatform } from '../platform';
import type { Row } from '../report';
import { describeCost, sumCosts, watchPhase, type PhaseCost } from '../resources';
import { ms, runOnce } from '../single-run';
import { summarize } from '../stats';
import { publishWorkflow } from '../weft-runs';
import type { Workload, WorkloadContext } from './types';

/** One Weft setting measured by a fan-out workload. */
export interface FanoutMode {
  label: string;
  overrides: Record<string, string>;
  what: string;
}

/** The two settings: pure steps inline (the default) and every step a BullMQ job. */
export const fanoutModes = (name: string): FanoutMode[] => [
  { label: name, overrides: {}, what: 'defaults: the no-op transforms are evaluated inline by the orchestrator, in the run\'s transition' },
  { label: `${name} queued`, overrides: { WEFT_INLINE_PURE_STEPS: 'false' }, what: 'WEFT_INLINE_PURE_STEPS=false: every step is a BullMQ job run by the executor, as I/O steps always are (the honest test of dispatch)' },
];

const isBranch = (nodeId: string) => /^b\d+$/.test(nodeId);

/** trigger → b0 … b{width-1} (no-op transforms) → join (join: all), whose output counts the outputs it saw. */
function definition(width: number): CreateWorkflowBody['definition'] {
  const branches = Array.from({ length: width }, (_, i) => `b${i}`);
  return {
    nodes: [
      { id: 'trigger', type: 'trigger', config: {} },
      ...branches.map((id) => ({ id, type: 'transform', config: { expression: 'input.n' } })),
      { id: 'join', type: 'transform', config: { expression: 'length(keys(steps))', join: 'all' } },
    ],
    edges: [...branches.map((b) => ({ source: 'trigger', target: b })), ...branches.map((b) => ({ source: b, target: 'join' }))],
    settings: { output: 'steps.join.output' },
  };
}

interface WeftTiming extends FanoutTiming {
  /** Run created → the transition that recorded the branches' step.dispatched events started. */
  dispatchedEventMs: number;
  clientMs: number;
  /** Transitions that changed the run: runs of consecutive events sharing one timestamp (their transaction's start). */
  transitions: number;
  /** Jobs left in Weft's queues when the run had finished (advance-run jobs with nothing left to fold in), and their drain time. */
  tailJobs: number;
  tailDrainMs: number;
}

/** Reads the timings from what the API reports (run, steps, GET /v1/runs/:id/events) and checks the run. */
function timing(run: Run, events: RunEvent[], width: number, clientMs: number, tail: { jobs: number; drainMs: number }): WeftTiming {
  const branches = run.steps.filter((s) => isBranch(s.nodeId));
  const join = run.steps.filter((s) => s.nodeId === 'join');
  const bad = run.steps.filter((s) => s.status !== 'succeeded');
  if (branches.length !== width || join.length !== 1 || run.steps.length !== width + 2 || bad.length) {
    throw new Error(`run ${run.id}: ${branches.length} branch steps, ${join.length} join steps, ${bad.length} not succeeded (expected ${width} + trigger + join, all succeeded)`);
  }
  if (run.output !== width + 1) throw new Error(`run ${run.id}: the join saw ${JSON.stringify(run.output)} outputs, expected ${width + 1}`);
  const dispatched = events.filter((e) => e.type === 'step.dispatched' && e.nodeId && isBranch(e.nodeId));
  if (dispatched.length !== width) throw new Error(`run ${run.id}: ${dispatched.length} step.dispatched events for branches, expected ${width}`);
  const t0 = ms(run.createdAt);
  const starts = branches.map((s) => ms(s.startedAt));
  const ends = branches.map((s) => ms(s.finishedAt));
  const lastEnd = Math.max(...ends);
  // run.created is the gateway's; every other event was written by an orchestrator transition.
  const sorted = events.filter((e) => e.type !== 'run.created').sort((a, b) => a.seq - b.seq);
  return {
    dispatchAllMs: Math.max(...starts) - t0,
    firstBranchStartMs: Math.min(...starts) - t0,
    dispatchedEventMs: Math.max(...dispatched.map((e) => ms(e.createdAt))) - t0,
    lastBranchFinishMs: lastEnd - t0,
    joinLatencyMs: ms(join[0]!.startedAt) - lastEnd,
    makespanMs: ms(run.finishedAt) - t0,
    clientMs,
    transitions: sorted.filter((e, i) => i === 0 || e.createdAt !== sorted[i - 1]!.createdAt).length,
    tailJobs: tail.jobs,
    tailDrainMs: tail.drainMs,
  };
}

async function measureWeft({ infra, log }: WorkloadContext, platform: BenchPlatform, label: string, width: number, runs: number, timeoutMs: number) {
  const workflowId = await publishWorkflow(platform.client, `bench ${label}`, definition(width));
  const samples: WeftTiming[] = [];
  const costs: PhaseCost[] = [];
  for (let i = 0; i <= runs; i++) {
    log(`${label}: ${i === 0 ? 'warm-up run' : `run ${i}/${runs}`} (1 → ${width} → join)`);
    const r = await runOnce(infra, platform, workflowId, { n: i }, { timeoutMs });
    const events = await platform.client.allRunEvents(r.run.id);
    const t = timing(r.run, events, width, r.clientMs, r.tail);
    if (i === 0) continue;
    samples.push(t);
    costs.push(r.cost);
  }
  return { samples, cost: sumCosts(costs) };
}

async function measureBaseline({ env, infra, log }: WorkloadContext, width: number, runs: number) {
  const bare = await BareFanout.start({ ...infra, concurrency: env.BENCH_BASELINE_CONCURRENCY });
  try {
    log(`bare-bullmq-fanout: warm-up + ${runs} fan-outs of ${width} (concurrency ${env.BENCH_BASELINE_CONCURRENCY})`);
    await bare.fanOut(width);
    const samples: FanoutTiming[] = [];
    const costs: PhaseCost[] = [];
    for (let i = 0; i < runs; i++) {
      const watch = await watchPhase(infra);
      samples.push(await bare.fanOut(width));
      costs.push(await watch.stop());
    }
    return { samples, cost: sumCosts(costs) };
  } finally {
    await bare.stop();
  }
}

type WeftResult = Awaited<ReturnType<typeof measureWeft>>;
type BaselineResult = Awaited<ReturnType<typeof measureBaseline>>;

const med = <T>(xs: readonly T[], f: (x: T) => number) => summarize(xs.map(f)).median;

function rows(label: string, width: number, w: WeftResult, b: BaselineResult): Row[] {
  const row = (metric: string, weft: number, baseline: number | null, better: Row['better'] = 'lower'): Row => ({ workload: label, metric, weft, baseline, better });
  const n = w.samples.length;
  const m = (f: (x: FanoutTiming) => number) => [med(w.samples, f), med(b.samples, f)] as const;
  return [
    row(`time to dispatch all ${width}: run created → last branch started (ms, median of ${n})`, ...m((x) => x.dispatchAllMs)),
    row('first branch started (ms after run created)', ...m((x) => x.firstBranchStartMs)),
    row(`${width} step.dispatched events recorded (ms after run created; transition start)`, med(w.samples, (x) => x.dispatchedEventMs), null),
    row('last branch finished (ms after run created)', ...m((x) => x.lastBranchFinishMs)),
    row('join latency: last branch finished → join started (ms)', ...m((x) => x.joinLatencyMs)),
    row('makespan: run created → run finished (ms)', ...m((x) => x.makespanMs)),
    row('makespan, client-observed: POST → finished status seen (ms)', med(w.samples, (x) => x.clientMs), null),
    row('steps/s over the makespan', ((width + 2) * 1000) / med(w.samples, (x) => x.makespanMs), ((width + 2) * 1000) / med(b.samples, (x) => x.makespanMs), 'higher'),
  ];
}

function notes(results: Record<string, WeftResult>, b: BaselineResult, width: number): string[] {
  const out = [
    `Timing sources: Weft from the API (run createdAt/finishedAt, steps startedAt/finishedAt, GET /v1/runs/:id/events), i.e. timestamps Postgres wrote with ms precision; ` +
      'a queued step starts when an executor claims it, an inline step when the orchestrator records it. Baseline from performance.now() in the bench process ' +
      '(root job added, branch job started/finished, join job started, join row inserted). Each run polls its status from the runs row every 50 ms (not through the API).',
    '',
    `Where the time goes (sum over the measured runs, each from POST /v1/runs until Weft's queues are empty again, so the queue tail is included; ` +
      `CPU by process group, "cores" = CPU-s / wall-s on this ${cpus().length}-CPU machine; Postgres transactions and rows are the bench database's own, WAL and Redis commands server-wide):`,
    '',
  ];
  for (const [label, r] of Object.entries(results)) {
    out.push(describeCost(label, r.cost, { n: r.samples.length * (width + 2), unit: 'step' }));
  }
  out.push(describeCost('bare-bullmq-fanout', b.cost, { n: b.samples.length * (width + 2), unit: 'job' }));
  out.push('');
  for (const [label, r] of Object.entries(results)) {
    out.push(
      `- ${label}: transitions that changed the run: ${Math.round(med(r.samples, (s) => s.transitions))} (median; runs of events sharing a transaction timestamp; they hold the run's row lock one at a time); ` +
        `jobs still queued when the run had finished: ${Math.round(med(r.samples, (s) => s.tailJobs))}, drained in ${Math.round(med(r.samples, (s) => s.tailDrainMs))} ms ` +
        '(the next run waits for the drain, so it does not queue behind them).',
    );
  }
  return out;
}

const BASELINE_DESCRIPTION =
  'Baseline (bare-bullmq-fanout): a root job inserts a row and a counter (remaining = width) and adds the branches with one addBulk; each branch inserts its row and decrements ' +
  'the counter in the same statement; the branch that reaches 0 adds the join job, which inserts the join row (same Redis and Postgres, worker in the bench process, ' +
  'concurrency BENCH_BASELINE_CONCURRENCY = the executor\'s 32). A counter in Postgres rather than a BullMQ Flow: the join decision stays durable and atomic with each ' +
  'branch\'s write, as Weft\'s is; a Flow keeps it in Redis only.';

/**
 * A fan-out workload: `settings()` reads its width, run count and modes (from its own env
 * variables), each mode is measured on its own platform, then the baseline at the same width.
 */
export function fanoutWorkload(o: {
  name: string;
  description: string;
  settings: () => { width: number; runs: number; modes: readonly FanoutMode[]; runTimeoutMs: number };
}): Workload {
  return {
    name: o.name,
    description: `${o.description} ${BASELINE_DESCRIPTION}`,
    async run(ctx) {
      const { width, runs, modes, runTimeoutMs } = o.settings();
      const results: Record<string, WeftResult> = {};
      for (const mode of modes) results[mode.label] = await ctx.withPlatform(mode.overrides, (p) => measureWeft(ctx, p, mode.label, width, runs, runTimeoutMs));
      const baseline = await measureBaseline(ctx, width, runs);
      return {
        rows: modes.flatMap((m) => rows(m.label, width, results[m.label]!, baseline)),
        notes: notes(results, baseline, width),
        details: { width, runs, weft: results, baseline },
      };
    },
  };
}
