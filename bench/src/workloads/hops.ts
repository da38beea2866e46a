import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BareChain } from '../baseline/bullmq-chain';
import { bareHops, countTable, hopTable, readTraceDir, weftHops, weftHopsInPlace } from '../hop-table';
import type { Row } from '../report';
import { atWorkerNice } from '../nice';
import { describeCost, watchPhase } from '../resources';
import { RunWatcher } from '../run-watcher';
import { weftStartHops } from '../start-hop-table';
import { summarize } from '../stats';
import { publishWorkflow, runSequential } from '../weft-runs';
import { STEPS, checkFunctionChain, functionChain, inputs } from './chain10';
import type { Workload } from './types';

/**
 * Where an executor step's time goes: the `chain10 executor` chain (10 `function` steps) run one at
 * a time on a platform whose services record a timestamp at each hop (WEFT_TRACE_HOPS_DIR) and count
 * their statements, Redis commands and event-loop delay (bench/src/profile/trace.mjs), then the bare
 * BullMQ chain with the same marks, in the same run; and where each measured run's start goes (the
 * gateway traced too), from POST /v1/runs to its first step settled. Tracing costs a little, so the
 * totals here are not the chain10 rows' numbers; the split is what this row is for.
 */
export const hops: Workload = {
  name: 'hops',
  description:
    `Per-hop timestamps of an executor step: the ${STEPS}-function-step chain of chain10 executor, sequential runs, services traced ` +
    '(marks at each hop, statement and Redis command counts, event-loop delay); baseline: the bare BullMQ chain with the same marks.',

  async run({ env, infra, withPlatform, log }) {
    const dir = await mkdtemp(join(tmpdir(), 'weft-hops-'));
    try {
      const overrides = {
        WEFT_TRACE_HOPS_DIR: dir,
        BENCH_PROFILE_DIR: dir,
        BENCH_SERVICE_NODE_ARGS: `${env.BENCH_SERVICE_NODE_ARGS} --import ./bench/src/profile/trace.mjs`.trim(),
      };
      const bare = await BareChain.start({ ...infra, steps: STEPS, concurrency: env.BENCH_BASELINE_CONCURRENCY, trace: true });
      const bareSeq: number[] = [];
      const seq = await withPlatform(overrides, async ({ client }) => {
          const wf = await publishWorkflow(client, 'bench hops', functionChain());
          log(`hops: ${env.BENCH_WARMUP_RUNS} warm-up + ${env.BENCH_SEQUENTIAL_RUNS} sequential traced runs, each followed by a traced bare chain`);
          const watcher = await RunWatcher.start(infra.redisUrl, infra.prefix);
          const phase = await watchPhase(infra);
          const result = await runSequential(client, wf, {
            n: env.BENCH_SEQUENTIAL_RUNS, warmup: env.BENCH_WARMUP_RUNS, pollMs: env.BENCH_POLL_MS, inputs, check: checkFunctionChain, watcher,
            after: async (i) => {
              const ms = await atWorkerNice(env.WEFT_WORKER_NICE, log, () => bare.runChain());
              if (i >= env.BENCH_WARMUP_RUNS) bareSeq.push(ms);
            },
          }).finally(() => watcher.stop());
          return { ...result, cost: await phase.stop() };
        }).finally(() => bare.stop());
      const { marks, traces } = await readTraceDir(dir);
      // Settled where they ran (the default) or by the orchestrator (WEFT_EXECUTOR_SETTLES=false): each has its marks.
      const inPlace = marks.some(([event]) => event === 'executor:exec.written');
      const weft = inPlace ? weftHopsInPlace(marks, seq.runIds) : weftHops(marks, seq.runIds);
      const base = bareHops(bare.marks);
      const start = weftStartHops(marks, seq.runIds);
      const startTotal = summarize(start[start.length - 1]!.samples);
      // Per run, the same samples without the first completion: to the first processor returned.
      const completion = start[start.length - 2]!.samples;
      const toProcessed = summarize(start[start.length - 1]!.samples.map((t, i) => t - completion[i]!));
      const weftStep = summarize(weft[weft.length - 1]!.samples);
      const bareStep = summarize(base[base.length - 1]!.samples);
      const e2e = summarize(seq.serverMs);
      const bareE2e = summarize(bareSeq);
      const row = (metric: string, w: number, b: number): Row => ({ workload: 'hops', metric, weft: w, baseline: b, better: 'lower' });
      const stepsRun = (env.BENCH_WARMUP_RUNS + env.BENCH_SEQUENTIAL_RUNS) * STEPS;
      return {
        rows: [
          row('traced: step median (ms)', weftStep.median, bareStep.median),
          row('traced: step p99 (ms)', weftStep.p99, bareStep.p99),
          row('traced: e2e median (ms)', e2e.median, bareE2e.median),
        ],
        notes: [
          `Weft (chain10 executor, ${weftStep.n} steps: every step of the ${seq.runIds.length} measured runs but each run's last). Marks: packages/queue/src/hops.ts; ${inPlace ? "E = the step's processor returned (settled in place, next step eager)" : "A = the orchestrator hands the step's job to BullMQ after its transition committed"}.`,
          '',
          ...hopTable(weft),
          '',
          `Baseline (bare-bullmq-chain, ${bareStep.n} steps):`,
          '',
          ...hopTable(base),
          '',
          `Where a run's start goes (${startTotal.n} measured runs): from the gateway taking POST /v1/runs (Fastify's start of the request) to the first executor step settled; marks gw.* (gateway), orch.* (orchestrator), exec.* (executor), see bench/src/start-hop-table.ts. ` +
            `To the first processor returned (the total without the first completion): median ${toProcessed.median.toFixed(3)} ms, mean ${toProcessed.mean.toFixed(3)} ms.`,
          '',
          ...hopTable(start),
          '',
          `Per step, per service process (counted over the whole platform life: ${stepsRun} steps incl. warm-up, plus start-up; statements by prepared name or text):`,
          '',
          ...countTable(traces, stepsRun),
          '',
          'CPU per process group while the sequential runs ran (from /proc; the bare chains ran in between, inside the bench process):',
          '',
          describeCost('weft runs and bare chains, interleaved (the baseline is in the bench group)', seq.cost, { n: stepsRun, unit: 'Weft step' }),
        ],
        details: {
          weft: weft.map((h) => ({ label: h.label, summary: summarize(h.samples) })),
          start: start.map((h) => ({ label: h.label, summary: summarize(h.samples) })),
          baseline: base.map((h) => ({ label: h.label, summary: summarize(h.samples) })),
          traces,
        },
      };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
};
