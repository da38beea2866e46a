import type { CreateWorkflowBody, Run } from '@weft/workflow-schema';
import { BareChain } from '../baseline/bullmq-chain';
import { redisCommandsProcessed } from '../infra';
import { stepPhases, type StepPhases } from '../phases';
import type { BenchPlatform } from '../platform';
import type { Row } from '../report';
import { atWorkerNice } from '../nice';
import { RunWatcher } from '../run-watcher';
import { summarize } from '../stats';
import { publishWorkflow, runBurst, runSequential } from '../weft-runs';
import type { Workload, WorkloadContext } from './types';

export const STEPS = 10;
/** Weft's chain has the trigger step in front of the 10 transforms. */
const WEFT_STEPS = STEPS + 1;

type Definition = CreateWorkflowBody['definition'];

/** trigger → s1 → … → s10, each transform building a small object from the previous output. */
function transformChain(): Definition {
  const ids = ['trigger', ...Array.from({ length: STEPS }, (_, i) => `s${i + 1}`)];
  return {
    nodes: ids.map((id, k) =>
      k === 0
        ? { id, type: 'trigger', config: {} }
        : { id, type: 'transform', config: { expression: `{ n: steps.${ids[k - 1]}.output.n, step: \`${k}\` }` } },
    ),
    edges: ids.slice(1).map((id, k) => ({ source: ids[k]!, target: id })),
  };
}

function checkTransformChain(run: Run, i: number) {
  const last = run.steps.find((s) => s.nodeId === `s${STEPS}`)?.output as { n?: number; step?: number } | undefined;
  if (run.steps.length !== WEFT_STEPS || last?.n !== i || last.step !== STEPS) throw new Error(`run ${run.id}: unexpected steps or output`);
}

/** trigger → f1 → … → f`steps` (10), each a `function` node (the registered `slugify`) extending the previous output: always an executor step. */
export function functionChain(steps = STEPS): Definition {
  const ids = ['trigger', ...Array.from({ length: steps }, (_, i) => `f${i + 1}`)];
  return {
    nodes: ids.map((id, k) =>
      k === 0
        ? { id, type: 'trigger', config: {} }
        : { id, type: 'function', config: { name: 'slugify', args: { text: k === 1 ? 'Run {{ steps.trigger.output.n }}' : `{{ steps.${ids[k - 1]}.output }} ${k}` } } },
    ),
    edges: ids.slice(1).map((id, k) => ({ source: ids[k]!, target: id })),
  };
}

export function checkFunctionChain(run: Run, i: number) {
  const last = run.steps.find((s) => s.nodeId === `f${STEPS}`)?.output;
  const expected = ['run', i, ...Array.from({ length: STEPS - 1 }, (_, k) => k + 2)].join('-');
  if (run.steps.length !== WEFT_STEPS || last !== expected) throw new Error(`run ${run.id}: unexpected steps or output ${JSON.stringify(last)}, expected ${expected}`);
}

/** One setting of the chain measured against the bare chain (also used by the `tracing` workload). */
export interface ChainMode {
  label: string;
  /** Environment of the services started for it. */
  overrides: Readonly<Record<string, string>>;
  definition: () => Definition;
  check: (run: Run, i: number) => void;
  /** Steps the per-step numbers divide by. */
  steps: number;
  what: string;
}

/**
 * Weft is measured as users run it (pure steps inline), with every step going through the queue
 * as I/O steps do, and with `function` steps (executor steps with the defaults, then without eager
 * dispatch, then settled by the orchestrator as before).
 */
const MODES = [
  { label: 'chain10', overrides: {}, definition: transformChain, check: checkTransformChain, steps: WEFT_STEPS, what: 'defaults: pure steps (trigger, transform) run inline in the orchestrator transition' },
  {
    label: 'chain10 queued',
    overrides: { WEFT_INLINE_PURE_STEPS: 'false' },
    definition: transformChain,
    check: checkTransformChain,
    steps: WEFT_STEPS,
    what: 'WEFT_INLINE_PURE_STEPS=false: every step goes orchestrator → queue → executor → queue, as I/O steps always do',
  },
  {
    label: 'chain10 executor',
    overrides: {},
    definition: () => functionChain(),
    check: checkFunctionChain,
    /** The trigger runs inline in the first transition: the 10 function steps are the hops measured. */
    steps: STEPS,
    what: 'defaults, 10 `function` steps (registered `slugify`): each step an executor step, the path every integration step takes',
  },
  {
    label: 'chain10 executor, two statements per step',
    overrides: { WEFT_SETTLE_IN_ONE_STATEMENT: 'false' },
    definition: () => functionChain(),
    check: checkFunctionChain,
    steps: STEPS,
    what: "the same with WEFT_SETTLE_IN_ONE_STATEMENT=false: each completion writes the step and reads the run, then the guarded write (the path before 2026-12-05 16:00): the same run's before/after",
  },
  {
    label: 'chain10 executor, no eager dispatch',
    overrides: { WEFT_EAGER_DISPATCH: 'false' },
    definition: () => functionChain(),
    check: checkFunctionChain,
    steps: STEPS,
    what: 'the same with WEFT_EAGER_DISPATCH=false: the executor settles each step where it ran, but the next step goes out as a job and is claimed',
  },
  {
    label: 'chain10 executor, settled by the orchestrator',
    overrides: { WEFT_EXECUTOR_SETTLES: 'false' },
    definition: () => functionChain(),
    check: checkFunctionChain,
    steps: STEPS,
    what: 'the same with WEFT_EXECUTOR_SETTLES=false: every completion hands its step to the orchestrator by a step-settled job (the path before 2026-12-05 03:00): the same run\'s before/after',
  },
] as const satisfies readonly ChainMode[];
type Mode = ChainMode;

export const inputs = (i: number) => ({ n: i });

/** Sequential runs, then a burst, on one started platform. */
/** One Weft run, then one bare chain, and so on: both see the machine's load of the same moments. */
export async function measureWeft({ env, infra, log }: WorkloadContext, platform: BenchPlatform, mode: Mode, bare: BareChain) {
  const { client } = platform;
  const { label } = mode;
  const [seqWf, burstWf] = await Promise.all([
    publishWorkflow(client, `bench ${label} sequential`, mode.definition()),
    publishWorkflow(client, `bench ${label} burst`, mode.definition()),
  ]);
  log(`${label}: ${env.BENCH_WARMUP_RUNS} warm-up + ${env.BENCH_SEQUENTIAL_RUNS} sequential runs (weft, waiting by ${env.BENCH_WAIT})`);
  const watcher = env.BENCH_WAIT === 'events' ? await RunWatcher.start(infra.redisUrl, infra.prefix) : undefined;
  const bareSeqMs: number[] = [];
  const seq = await runSequential(client, seqWf, {
    n: env.BENCH_SEQUENTIAL_RUNS, warmup: env.BENCH_WARMUP_RUNS, pollMs: env.BENCH_POLL_MS, inputs, check: mode.check, watcher,
    after: async (i) => {
      const ms = await atWorkerNice(env.WEFT_WORKER_NICE, log, () => bare.runChain());
      if (i >= env.BENCH_WARMUP_RUNS) bareSeqMs.push(ms);
    },
  }).finally(() => watcher?.stop());
  const phases = await stepPhases(infra.databaseUrl, seq.runIds);
  log(`${label}: ${env.BENCH_BURST_RUNS} runs at once (weft)`);
  const before = await redisCommandsProcessed(infra.redisUrl);
  const burst = await runBurst(client, burstWf, { n: env.BENCH_BURST_RUNS, inputs });
  const redisCommands = (await redisCommandsProcessed(infra.redisUrl)) - before;
  return { seq, bareSeqMs, phases, burst, redisCommands };
}

/** The baseline's burst (its sequential chains ran interleaved with each mode's runs). */
export async function measureBaselineBurst({ env, infra, log }: WorkloadContext, bare: BareChain, modes: number = MODES.length) {
  log(`bare-bullmq-chain: ${env.BENCH_BURST_RUNS} chains at once`);
  const before = await redisCommandsProcessed(infra.redisUrl);
  const burst = await bare.burst(env.BENCH_BURST_RUNS);
  const redisCommands = (await redisCommandsProcessed(infra.redisUrl)) - before;
  const expected = (modes * (env.BENCH_WARMUP_RUNS + env.BENCH_SEQUENTIAL_RUNS) + env.BENCH_BURST_RUNS) * STEPS;
  const written = await bare.rowCount();
  if (written !== expected) throw new Error(`baseline wrote ${written} rows, expected ${expected}`);
  return { burst, redisCommands };
}

export type WeftResult = Awaited<ReturnType<typeof measureWeft>>;
export type BaselineResult = Awaited<ReturnType<typeof measureBaselineBurst>>;

export function rows({ label, steps }: Mode, n: number, w: WeftResult, b: BaselineResult): Row[] {
  const row = (metric: string, weft: number, baseline: number | null, better: Row['better'] = 'lower'): Row => ({ workload: label, metric, weft, baseline, better });
  const seq = { weft: summarize(w.seq.serverMs), client: summarize(w.seq.clientMs), bare: summarize(w.bareSeqMs) };
  const burst = { weft: summarize(w.burst.latencyMs), bare: summarize(b.burst.latencyMs) };
  return [
    row(`sequential e2e median (ms, n=${seq.weft.n})`, seq.weft.median, seq.bare.median),
    row('sequential e2e p95 (ms)', seq.weft.p95, seq.bare.p95),
    row('sequential e2e p99 (ms)', seq.weft.p99, seq.bare.p99),
    row('sequential e2e median, client-observed (ms)', seq.client.median, null),
    row('per-step overhead (ms, median e2e / steps)', seq.weft.median / steps, seq.bare.median / STEPS),
    row('per-step overhead p99 (ms, p99 e2e / steps)', seq.weft.p99 / steps, seq.bare.p99 / STEPS),
    row(`burst of ${n}: wall time (ms)`, w.burst.serverWallMs, b.burst.wallMs),
    row(`burst of ${n}: runs/s`, (n * 1000) / w.burst.serverWallMs, (n * 1000) / b.burst.wallMs, 'higher'),
    row(`burst of ${n}: steps/s`, (n * steps * 1000) / w.burst.serverWallMs, (n * STEPS * 1000) / b.burst.wallMs, 'higher'),
    row('burst: run e2e median (ms)', burst.weft.median, burst.bare.median),
    row('burst: run e2e p99 (ms)', burst.weft.p99, burst.bare.p99),
    row('burst: Redis commands per step', w.redisCommands / (n * steps), b.redisCommands / (n * STEPS)),
  ];
}

function phaseNotes(results: Record<string, WeftResult>, env: WorkloadContext['env']): string[] {
  const queued = results['chain10 queued']!.phases;
  const executor = results['chain10 executor']!.phases;
  const perStep = (p: StepPhases) => p.dispatchMs + p.executeMs + p.advanceMs;
  const cell = (p: StepPhases, x: number) => `${x.toFixed(2)} (${Math.round((100 * x) / perStep(p))}%)`;
  const waitedBy =
    env.BENCH_WAIT === 'events'
      ? "client-observed = POST sent → the run's terminal live event received (Redis pub/sub; the services are not polled while a run runs)"
      : `client-observed = POST sent → terminal status seen polling GET /v1/runs/:id every ${env.BENCH_POLL_MS} ms (BENCH_WAIT=poll: the polling loads gateway and Postgres)`;
  return [
    `Where a queued step's time goes (sequential runs, mean over ${queued.steps} / ${executor.steps} steps, from the timestamps Postgres wrote; ms precision, so read the means; \`npm run bench -- hops\` splits it finer):`,
    '',
    '| phase | chain10 queued: mean ms per step (share) | chain10 executor |',
    '|---|---:|---:|',
    `| dispatch: step row inserted (orchestrator write starts) → claimed by the executor | ${cell(queued, queued.dispatchMs)} | ${cell(executor, executor.dispatchMs)} |`,
    `| execute: claimed → result written (context loaded, processor run, fenced write) | ${cell(queued, queued.executeMs)} | ${cell(executor, executor.executeMs)} |`,
    `| advance: result written → next orchestrator transition writes | ${cell(queued, queued.advanceMs)} | ${cell(executor, executor.advanceMs)} |`,
    `| once per run: run created → first transition writes | ${queued.runStartMs.toFixed(2)} | ${executor.runStartMs.toFixed(2)} |`,
    '',
    `In chain10 (defaults) the whole chain runs in the first transition; run created → that transition starts: ${results.chain10!.phases.runStartMs.toFixed(2)} ms mean.`,
    '',
    `Timing sources: Weft e2e = createdAt → the run's last recorded write (the latest of the run's and its steps' finishedAt) from GET /v1/runs/:id; ` +
      `the run's own finishedAt is now() of its last transaction, i.e. that transaction's start, which would hide a chain run inline. The final commit is not included; ${waitedBy} includes it. ` +
      'Burst wall = last run\'s last write − first createdAt. Baseline = first job added → last row inserted, timed in the bench process. ' +
      'Redis commands = INFO total_commands_processed delta over the burst (counts every client of the server).',
  ];
}

export const chain10: Workload = {
  name: 'chain10',
  description:
    `A linear chain trigger → ${STEPS} steps, through the API. Weft in ${MODES.length} settings: ${MODES.map((m) => `**${m.label}**: ${m.what}`).join('; ')}. ` +
    `Baseline (bare-bullmq-chain): the same ${STEPS} steps as a bare BullMQ chain, one Postgres insert per job, same Redis and Postgres, in the bench process; ` +
    'its sequential chains run interleaved with each mode\'s sequential runs (one Weft run, one bare chain, …) so that both meet the same load, and the bench\'s main thread takes the workers\' niceness (WEFT_WORKER_NICE) while a bare chain runs. ' +
    `Per-step overhead = median e2e / steps (Weft ${WEFT_STEPS} with the trigger, ${STEPS} in chain10 executor whose trigger runs inline; baseline ${STEPS}).`,

  async run(ctx) {
    const { env, infra, log } = ctx;
    const results: Record<string, WeftResult> = {};
    const bare = await BareChain.start({ ...infra, steps: STEPS, concurrency: env.BENCH_BASELINE_CONCURRENCY });
    let baseline: BaselineResult;
    try {
      for (const mode of MODES) results[mode.label] = await ctx.withPlatform(mode.overrides, (p) => measureWeft(ctx, p, mode, bare));
      baseline = await atWorkerNice(env.WEFT_WORKER_NICE, log, () => measureBaselineBurst(ctx, bare));
    } finally {
      await bare.stop();
    }
    return {
      rows: MODES.flatMap((m) => rows(m, ctx.env.BENCH_BURST_RUNS, results[m.label]!, baseline)),
      notes: phaseNotes(results, ctx.env),
      details: { weft: results, baseline },
    };
  },
};
