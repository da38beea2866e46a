import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus } from 'node:os';
import { int, parseEnv } from '@weft/config';
import type { CreateWorkflowBody, Edge, Node, Run } from '@weft/workflow-schema';
import pg from 'pg';
import { z } from 'zod';
import { BareFanout } from '../baseline/bullmq-fanout';
import type { BenchInfra } from '../infra';
import type { BenchPlatform } from '../platform';
import type { Row } from '../report';
import { describeCost, sumCosts, watchPhase, type PhaseCost } from '../resources';
import { ms, runOnce } from '../single-run';
import { summarize } from '../stats';
import { publishWorkflow } from '../weft-runs';
import type { Workload, WorkloadContext } from './types';

const ForEachEnvSchema = z.object({
  /** Items of the pure-body for_each (runs in place). */
  BENCH_FOREACH_ITEMS: int(10_000),
  /** Items of the durable-body for_each (one iteration run each): fewer by default, see the README. */
  BENCH_FOREACH_DURABLE_ITEMS: int(2_000),
  /** for_each `concurrency` of the durable variant, and the baseline worker's concurrency. */
  BENCH_FOREACH_CONCURRENCY: int(50),
  /** Measured runs of the pure variant (after one warm-up); the table shows their median. */
  BENCH_FOREACH_RUNS: int(3),
  /** Also run the durable variant on a platform with WEFT_ITERATION_SUCCESSORS=false (each item started by the parent: the path before 2026-12-05 06:30), for a same-run before/after. */
  BENCH_FOREACH_COMPARE: z.enum(['true', 'false']).default('true').transform((v) => v === 'true'),
});
type ForEachEnv = z.infer<typeof ForEachEnvSchema>;

/** trigger → each (for_each over input.items) with the given body; the run's output is the loop's output. */
function definition(body: { nodes: Node[]; edges: Edge[] }, concurrency: number): CreateWorkflowBody['definition'] {
  return {
    nodes: [
      { id: 'trigger', type: 'trigger', config: {} },
      { id: 'each', type: 'for_each', config: { items: 'input.items', concurrency, body } },
    ],
    edges: [{ source: 'trigger', target: 'each' }],
    settings: { output: 'steps.each.output' },
  };
}

/** Pure body: runs in place, inside the orchestrator's transition. */
const pureBody = {
  nodes: [
    { id: 'start', type: 'trigger', config: {} },
    { id: 'double', type: 'transform', config: { expression: 'item * `2`' } },
  ],
  edges: [{ source: 'start', target: 'double' }],
};

/** I/O body: an HTTP call to a local echo server, then a transform: one durable iteration run per item. */
const durableBody = (echoUrl: string) => ({
  nodes: [
    { id: 'start', type: 'trigger', config: {} },
    { id: 'call', type: 'http_request', config: { method: 'POST', url: `${echoUrl}/echo`, body: { v: '{{ item }}' } } },
    { id: 'double', type: 'transform', config: { expression: 'steps.call.output.body.v * `2`' } },
  ],
  edges: [
    { source: 'start', target: 'call' },
    { source: 'call', target: 'double' },
  ],
});

/** Answers every request with the JSON body it got (the outside service of the durable body). */
async function startEcho(): Promise<{ url: string; count(): number; close(): Promise<void> }> {
  let count = 0;
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      count++;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(body || '{}');
    });
  });
  // Idle keep-alive sockets are closed by the client (undici: 4 s), never by this server while the
  // client reuses one: on a starved machine the two 4–5 s timers raced, and an item's call failed
  // with `UND_ERR_SOCKET other side closed` (the body has no retry policy).
  server.keepAliveTimeout = 120_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    count: () => count,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

const items = (n: number) => Array.from({ length: n }, (_, i) => i);

/** The output must be the body outputs in item order: 2 × item for every item. */
function check(run: Run, n: number): void {
  const out = run.output as unknown[];
  if (!Array.isArray(out) || out.length !== n) throw new Error(`run ${run.id}: output has ${Array.isArray(out) ? out.length : typeof out} items, expected ${n}`);
  const wrong = out.findIndex((v, i) => v !== 2 * i);
  if (wrong >= 0) throw new Error(`run ${run.id}: output[${wrong}] = ${JSON.stringify(out[wrong])}, expected ${2 * wrong} (item order)`);
}

const makespan = (run: Run) => ms(run.finishedAt) - ms(run.createdAt);

/** What the durable loop wrote and how busy its iterations were, from Postgres. */
async function iterationStats(infra: BenchInfra, runId: string, makespanMs: number) {
  const c = new pg.Client({ connectionString: infra.databaseUrl });
  await c.connect();
  try {
    const { rows } = await c.query<{ iterations: number; busy_ms: number; median_ms: number; events: number; steps: number; transitions: number }>(
      `SELECT count(*)::int AS iterations,
              sum(extract(epoch FROM r.finished_at - r.started_at) * 1000)::float8 AS busy_ms,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM r.finished_at - r.started_at) * 1000)::float8 AS median_ms,
              (SELECT count(*)::int FROM run_events e WHERE e.run_id IN (SELECT id FROM runs WHERE parent_run_id = $1 OR id = $1)) AS events,
              (SELECT count(*)::int FROM run_steps s WHERE s.run_id IN (SELECT id FROM runs WHERE parent_run_id = $1 OR id = $1)) AS steps,
              (SELECT count(*)::int FROM (SELECT DISTINCT e.run_id, e.created_at FROM run_events e
                 WHERE e.run_id IN (SELECT id FROM runs WHERE parent_run_id = $1) AND e.type <> 'run.created') t) AS transitions
       FROM runs r WHERE r.parent_run_id = $1 AND r.kind = 'iteration'`,
      [runId],
    );
    const r = rows[0]!;
    return { iterations: r.iterations, iterationMedianMs: r.median_ms, meanInFlight: r.busy_ms / makespanMs, events: r.events, steps: r.steps, iterationTransitions: r.transitions };
  } finally {
    await c.end();
  }
}

async function measureWeft({ infra, log }: WorkloadContext, platform: BenchPlatform, env: ForEachEnv, echoUrl: string) {
  const { client } = platform;
  const [pureWf, durableWf] = await Promise.all([
    publishWorkflow(client, 'bench foreach pure', definition(pureBody, env.BENCH_FOREACH_CONCURRENCY)),
    publishWorkflow(client, 'bench foreach durable', definition(durableBody(echoUrl), env.BENCH_FOREACH_CONCURRENCY)),
  ]);
  const pure = { makespanMs: [] as number[], clientMs: [] as number[], costs: [] as PhaseCost[], inPlace: true };
  for (let i = 0; i <= env.BENCH_FOREACH_RUNS; i++) {
    log(`foreach pure: ${i === 0 ? 'warm-up run' : `run ${i}/${env.BENCH_FOREACH_RUNS}`} over ${env.BENCH_FOREACH_ITEMS} items`);
    const r = await runOnce(infra, platform, pureWf, { items: items(env.BENCH_FOREACH_ITEMS) }, { timeoutMs: 120_000, pollMs: 10 });
    check(r.run, env.BENCH_FOREACH_ITEMS);
    const step = r.run.steps.find((s) => s.nodeId === 'each');
    pure.inPlace &&= (step?.input as { inPlace?: boolean } | null)?.inPlace === true;
    if (i === 0) continue;
    pure.makespanMs.push(makespan(r.run));
    pure.clientMs.push(r.clientMs);
    pure.costs.push(r.cost);
  }
  if (!pure.inPlace) throw new Error('the pure for_each did not run in place');

  const durable = await measureDurable({ infra, log }, platform, durableWf, env);
  return { pure: { makespanMs: pure.makespanMs, clientMs: pure.clientMs, cost: sumCosts(pure.costs) }, durable };
}

/** One run of the durable variant: makespan, cost and the iterations' figures. */
async function measureDurable({ infra, log }: Pick<WorkloadContext, 'infra' | 'log'>, platform: BenchPlatform, durableWf: Awaited<ReturnType<typeof publishWorkflow>>, env: ForEachEnv) {
  const n = env.BENCH_FOREACH_DURABLE_ITEMS;
  log(`foreach durable: one run over ${n} items, concurrency ${env.BENCH_FOREACH_CONCURRENCY} (an HTTP call per item to the local echo server)`);
  const r = await runOnce(infra, platform, durableWf, { items: items(n) }, { timeoutMs: 900_000, pollMs: 100 });
  check(r.run, n);
  const durable = { makespanMs: makespan(r.run), clientMs: r.clientMs, cost: r.cost, tail: r.tail, ...(await iterationStats(infra, r.run.id, makespan(r.run))) };
  if (durable.iterations !== n) throw new Error(`run ${r.run.id}: ${durable.iterations} iteration runs, expected ${n}`);
  return durable;
}

/** The durable variant on a platform whose executor does not start the next item (WEFT_ITERATION_SUCCESSORS=false): the parent starts every item. */
async function measureDurableBefore(ctx: WorkloadContext, env: ForEachEnv, echoUrl: string) {
  return ctx.withPlatform({ WEFT_HTTP_ALLOW_CIDRS: '127.0.0.0/8', WEFT_ITERATION_SUCCESSORS: 'false' }, async (p) => {
    const wf = await publishWorkflow(p.client, 'bench foreach durable (before)', definition(durableBody(echoUrl), env.BENCH_FOREACH_CONCURRENCY));
    return measureDurable(ctx, p, wf, env);
  });
}

async function measureBaseline({ infra, log }: WorkloadContext, env: ForEachEnv) {
  const bare = await BareFanout.start({ ...infra, concurrency: env.BENCH_FOREACH_CONCURRENCY });
  try {
    await bare.flat(1000); // warm-up
    const out: Record<number, { makespanMs: number; cost: PhaseCost }> = {};
    for (const n of new Set([env.BENCH_FOREACH_ITEMS, env.BENCH_FOREACH_DURABLE_ITEMS])) {
      log(`bare-bullmq-jobs: ${n} jobs at once, concurrency ${env.BENCH_FOREACH_CONCURRENCY}`);
      const watch = await watchPhase(infra);
      const makespanMs = await bare.flat(n);
      out[n] = { makespanMs, cost: await watch.stop() };
    }
    return out;
  } finally {
    await bare.stop();
  }
}

type WeftResult = Awaited<ReturnType<typeof measureWeft>>;
type BaselineResult = Awaited<ReturnType<typeof measureBaseline>>;

type DurableResult = WeftResult['durable'];

function rows(env: ForEachEnv, w: WeftResult, b: BaselineResult, before: DurableResult | undefined): Row[] {
  const row = (workload: string, metric: string, weft: number, baseline: number | null, better: Row['better'] = 'lower'): Row => ({ workload, metric, weft, baseline, better });
  const p = env.BENCH_FOREACH_ITEMS;
  const d = env.BENCH_FOREACH_DURABLE_ITEMS;
  const pureMs = summarize(w.pure.makespanMs).median;
  const pureLabel = 'foreach10k pure';
  const durableLabel = d === 10_000 ? 'foreach10k durable' : `foreach10k durable (${d} items)`;
  return [
    row(pureLabel, `makespan over ${p} items: run created → finished (ms, median of ${w.pure.makespanMs.length})`, pureMs, b[p]!.makespanMs),
    row(pureLabel, 'makespan, client-observed (ms)', summarize(w.pure.clientMs).median, null),
    row(pureLabel, 'items/s', (p * 1000) / pureMs, (p * 1000) / b[p]!.makespanMs, 'higher'),
    row(durableLabel, `makespan over ${d} items, concurrency ${env.BENCH_FOREACH_CONCURRENCY} (ms)`, w.durable.makespanMs, b[d]!.makespanMs),
    row(durableLabel, 'makespan, client-observed (ms)', w.durable.clientMs, null),
    row(durableLabel, 'items/s', (d * 1000) / w.durable.makespanMs, (d * 1000) / b[d]!.makespanMs, 'higher'),
    row(durableLabel, 'iteration run, started → finished (ms, median)', w.durable.iterationMedianMs, null),
    row(durableLabel, `iterations in flight, mean (limit ${env.BENCH_FOREACH_CONCURRENCY})`, w.durable.meanInFlight, null, 'higher'),
    ...(before
      ? [
          row(`${durableLabel}, parent starts each item (before)`, 'items/s', (d * 1000) / before.makespanMs, (d * 1000) / b[d]!.makespanMs, 'higher'),
          row(`${durableLabel}, parent starts each item (before)`, 'iteration run, started → finished (ms, median)', before.iterationMedianMs, null),
          row(`${durableLabel}, parent starts each item (before)`, `iterations in flight, mean (limit ${env.BENCH_FOREACH_CONCURRENCY})`, before.meanInFlight, null, 'higher'),
        ]
      : []),
  ];
}

function notes(env: ForEachEnv, w: WeftResult, b: BaselineResult, before: DurableResult | undefined): string[] {
  const d = env.BENCH_FOREACH_DURABLE_ITEMS;
  const out = [
    'Timing sources: Weft makespan = run createdAt → finishedAt from the API (Postgres timestamps, ms precision); the output is checked: an array of every item × 2, in item order. ' +
      'Baseline = first job added → last row inserted, timed in the bench process. Iteration figures from the runs table (started_at/finished_at of the iteration runs); ' +
      '"in flight, mean" = the iterations\' summed durations / makespan.',
  ];
  if (d !== 10_000) {
    out.push(
      '',
      `The durable variant runs ${d} items, not 10,000 (BENCH_FOREACH_DURABLE_ITEMS): at its rate on this machine 10,000 would take ${((10_000 * w.durable.makespanMs) / d / 60_000).toFixed(1)} min, ` +
        'past the bench\'s time budget. Set BENCH_FOREACH_DURABLE_ITEMS=10000 to run all of them.',
    );
  }
  out.push(
    '',
    `Durable loop: ${w.durable.iterations} iteration runs, ${w.durable.steps} step rows and ${w.durable.events} events (parent + iterations): ` +
      `${(w.durable.steps / d).toFixed(1)} steps and ${(w.durable.events / d).toFixed(1)} events per item; ${(w.durable.iterationTransitions / d).toFixed(1)} transitions per iteration run ` +
      '(distinct event timestamps); the parent\'s transitions come on its merged wake-ups, and an item that succeeds in the executor starts the next one itself (WEFT_ITERATION_SUCCESSORS). ' +
      `The queue tail after the run: ${w.durable.tail.jobs} jobs, drained in ${Math.round(w.durable.tail.drainMs)} ms.`,
    '',
    `Where the time goes (from POST /v1/runs until Weft's queues are empty again; CPU by process group, "cores" = CPU-s / wall-s on this ${cpus().length}-CPU machine; Postgres transactions and rows are the bench database's own, WAL and Redis commands server-wide):`,
    '',
    describeCost(`foreach pure (${w.pure.makespanMs.length} runs of ${env.BENCH_FOREACH_ITEMS})`, w.pure.cost, { n: w.pure.makespanMs.length * env.BENCH_FOREACH_ITEMS, unit: 'item' }),
    describeCost(`foreach durable (${d})`, w.durable.cost, { n: d, unit: 'item' }),
    ...(before ? [describeCost(`foreach durable, parent starts each item (before) (${d})`, before.cost, { n: d, unit: 'item' })] : []),
    ...[...new Set([env.BENCH_FOREACH_ITEMS, d])].map((n) => describeCost(`bare-bullmq-jobs (${n})`, b[n]!.cost, { n, unit: 'job' })),
  );
  return out;
}

export const foreach10k: Workload = {
  name: 'foreach10k',
  description:
    'for_each over input.items ([0 … n-1]), output checked (item × 2, in item order). **pure**: body `item * 2` (transform), run in place by the orchestrator, ' +
    'BENCH_FOREACH_ITEMS (10,000) items, one warm-up then BENCH_FOREACH_RUNS (3) measured runs, median shown. **durable**: body http_request POST to a local echo server ' +
    '(in the bench process; services started with WEFT_HTTP_ALLOW_CIDRS=127.0.0.0/8) then transform, so each item is a durable iteration run, concurrency ' +
    'BENCH_FOREACH_CONCURRENCY (50), BENCH_FOREACH_DURABLE_ITEMS (2,000 by default) items, one run. Baseline (bare-bullmq-jobs): the same number of BullMQ jobs added at ' +
    'once, each inserting one Postgres row, one worker with concurrency 50, in the bench process.',

  async run(ctx) {
    const env = parseEnv(ForEachEnvSchema);
    const echo = await startEcho();
    try {
      const weft = await ctx.withPlatform({ WEFT_HTTP_ALLOW_CIDRS: '127.0.0.0/8' }, (p) => measureWeft(ctx, p, env, echo.url));
      const before = env.BENCH_FOREACH_COMPARE ? await measureDurableBefore(ctx, env, echo.url) : undefined;
      const baseline = await measureBaseline(ctx, env);
      return {
        rows: rows(env, weft, baseline, before),
        notes: notes(env, weft, baseline, before),
        details: { settings: env, weft, before, baseline, echoRequests: echo.count() },
      };
    } finally {
      await echo.close();
    }
  },
};
