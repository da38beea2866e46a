import { int, parseEnv } from '@weft/config';
import type { CreateWorkflowBody } from '@weft/workflow-schema';
import pg from 'pg';
import { z } from 'zod';
import { startSubmitBaseline } from '../baseline/submit-baseline';
import { closedLoop, pacedLoop, type LoadOptions, type LoadResult } from '../http-load';
import type { Row } from '../report';
import { describeCost, watchPhase, type PhaseCost } from '../resources';
import { summarize } from '../stats';
import { publishWorkflow } from '../weft-runs';
import type { Workload, WorkloadContext } from './types';

const SubmitEnvSchema = z.object({
  /** Length of the measured load window (s); the target is 60. */
  BENCH_SUBMIT_SECONDS: int(60),
  /** Warm-up load before the window (s), not measured (JIT, pools, caches). */
  BENCH_SUBMIT_WARMUP_SECONDS: int(3),
  /** Concurrent HTTP clients, each on its own keep-alive connection. */
  BENCH_SUBMIT_CLIENTS: int(100),
  /** Offered load of the paced phase (runs/s over all clients, open loop); the target is 400. */
  BENCH_SUBMIT_RATE: int(400),
  /** Length of the closed-loop phase that finds the most the server accepts (s). */
  BENCH_SUBMIT_CAPACITY_SECONDS: int(20),
  /** How long to wait for the backlog to drain after the window (s). */
  BENCH_SUBMIT_DRAIN_TIMEOUT_SECONDS: int(300),
});

const STEPS = 3;

/** trigger → shape → label: three steps, both transforms pure (inline in the orchestrator by default). */
function definition(): CreateWorkflowBody['definition'] {
  return {
    nodes: [
      { id: 'trigger', type: 'trigger', config: { inputSchema: { type: 'object', properties: { n: { type: 'integer' } }, required: ['n'] } } },
      { id: 'shape', type: 'transform', config: { expression: '{ n: input.n, kind: `"bench"` }' } },
      { id: 'label', type: 'transform', config: { expression: '{ n: steps.shape.output.n, done: `true` }' } },
    ],
    edges: [
      { source: 'trigger', target: 'shape' },
      { source: 'shape', target: 'label' },
    ],
    settings: { output: 'steps.label.output' },
  };
}

interface Counts {
  accepted: number;
  done: number;
  failed: number;
}

interface Measured {
  load: LoadResult;
  /** Runs finished during the load window. */
  completedInWindow: number;
  /** Window end → every accepted run finished (ms). */
  drainMs: number;
  failed: number;
  /** Runs finished per second of the window, sampled each second (shows whether the backlog grows). */
  completedPerSecond: number[];
  cost: PhaseCost;
}

/**
 * Warm-up, then `seconds` of closed-loop load, then waits until every accepted run finished.
 * `counts` reads the server's own table, so completion is what Postgres says, not the client.
 */
type Target = Pick<LoadOptions, 'url' | 'path' | 'headers' | 'body'>;
/** How one phase sends its requests: paced at the target rate, or closed loop (as fast as answered). */
interface Mode {
  name: 'paced' | 'capacity';
  seconds: number;
  load: (opts: LoadOptions) => Promise<LoadResult>;
}

function modes(): Mode[] {
  const s = parseEnv(SubmitEnvSchema, process.env);
  return [
    { name: 'paced', seconds: s.BENCH_SUBMIT_SECONDS, load: (o) => pacedLoop({ ...o, ratePerSecond: s.BENCH_SUBMIT_RATE }) },
    { name: 'capacity', seconds: s.BENCH_SUBMIT_CAPACITY_SECONDS, load: closedLoop },
  ];
}

async function measure(ctx: WorkloadContext, label: string, mode: Mode, target: Target, counts: () => Promise<Counts>): Promise<Measured> {
  const s = parseEnv(SubmitEnvSchema, process.env);
  const clients = s.BENCH_SUBMIT_CLIENTS;
  const drained = async (timeoutMs: number) => {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const c = await counts();
      if (c.done + c.failed >= c.accepted) return c;
      if (Date.now() > until) {
        // Reported, not thrown: the table still says how far behind the backlog was (unfinished counts as an error).
        ctx.log(`${label}: ${c.accepted - c.done - c.failed} runs still unfinished after ${timeoutMs} ms; reporting anyway`);
        return { ...c, failed: c.accepted - c.done };
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  };
  ctx.log(`${label}: ${s.BENCH_SUBMIT_WARMUP_SECONDS} s warm-up with ${clients} clients`);
  await mode.load({ ...target, clients, durationMs: s.BENCH_SUBMIT_WARMUP_SECONDS * 1000 });
  const before = await drained(s.BENCH_SUBMIT_DRAIN_TIMEOUT_SECONDS * 1000);
  ctx.log(`${label}: ${mode.seconds} s of ${mode.name} load with ${clients} clients`);
  const watch = await watchPhase(ctx.infra);
  const completedPerSecond: number[] = [];
  let sampling = true;
  const sampler = (async () => {
    let last = before.done + before.failed;
    while (sampling) {
      await new Promise((r) => setTimeout(r, 1000));
      const c = await counts();
      completedPerSecond.push(c.done + c.failed - last);
      last = c.done + c.failed;
    }
  })();
  const load = await mode.load({ ...target, clients, durationMs: mode.seconds * 1000 });
  sampling = false;
  await sampler;
  const atEnd = await counts();
  const windowEnd = performance.now();
  ctx.log(`${label}: ${load.accepted} accepted, ${atEnd.done - before.done} finished in the window; draining the backlog`);
  const after = await drained(s.BENCH_SUBMIT_DRAIN_TIMEOUT_SECONDS * 1000);
  const drainMs = atEnd.done + atEnd.failed >= atEnd.accepted ? 0 : performance.now() - windowEnd;
  const cost = await watch.stop();
  return {
    load,
    completedInWindow: atEnd.done + atEnd.failed - (before.done + before.failed),
    drainMs,
    failed: after.failed - before.failed,
    completedPerSecond,
    cost,
  };
}

async function measureWeft(ctx: WorkloadContext, mode: Mode): Promise<Measured> {
  return ctx.withPlatform({}, async (platform) => {
    const workflowId = await publishWorkflow(platform.client, 'bench submit100', definition());
    const db = new pg.Client({ connectionString: ctx.infra.databaseUrl });
    await db.connect();
    try {
      return await measure(
        ctx,
        `submit100 weft ${mode.name}`,
        mode,
        { url: platform.url, path: '/v1/runs', headers: { authorization: `Bearer ${platform.apiKey}` }, body: (i) => ({ workflowId, inputs: { n: i } }) },
        async () => {
          const { rows } = await db.query<Counts>(
            `SELECT count(*)::int AS accepted, count(*) FILTER (WHERE status = 'succeeded')::int AS done,
                    count(*) FILTER (WHERE status IN ('failed', 'cancelled'))::int AS failed
             FROM runs WHERE workflow_id = $1`,
            [workflowId],
          );
          return rows[0]!;
        },
      );
    } finally {
      await db.end();
    }
  });
}

async function measureBaseline(ctx: WorkloadContext, mode: Mode): Promise<Measured> {
  const bare = await startSubmitBaseline(ctx.infra, ctx.env.BENCH_BASELINE_CONCURRENCY);
  try {
    return await measure(
      ctx,
      `submit100 bare-fastify-bullmq ${mode.name}`,
      mode,
      { url: bare.url, path: '/runs', headers: {}, body: (i) => ({ inputs: { n: i } }) },
      async () => ({ ...(await bare.counts()), failed: 0 }),
    );
  } finally {
    await bare.stop();
  }
}

function rows(mode: Mode, w: Measured, b: Measured): Row[] {
  const seconds = (m: Measured) => m.load.wallMs / 1000;
  const lat = { weft: summarize(w.load.latencyMs), bare: summarize(b.load.latencyMs) };
  const errors = (m: Measured) => Object.entries(m.load.statuses).filter(([s]) => !/^2\d\d$/.test(s)).reduce((a, [, n]) => a + n, 0) + m.failed;
  const perRun = (m: Measured, x: number) => x / Math.max(1, m.load.accepted);
  const workload = mode.name === 'paced' ? `submit100 at ${parseEnv(SubmitEnvSchema, process.env).BENCH_SUBMIT_RATE}/s` : 'submit100 capacity';
  const row = (metric: string, weft: number, baseline: number | null, better: Row['better'] = 'lower'): Row => ({ workload, metric, weft, baseline, better });
  return [
    row(`accepted runs/s (POST answered 202, ${mode.seconds} s)`, w.load.accepted / seconds(w), b.load.accepted / seconds(b), 'higher'),
    row('completed runs/s during the window', w.completedInWindow / seconds(w), b.completedInWindow / seconds(b), 'higher'),
    row('runs/s end to end (accepted / (window + drain))', w.load.accepted / (seconds(w) + w.drainMs / 1000), b.load.accepted / (seconds(b) + b.drainMs / 1000), 'higher'),
    row('backlog drain after the window (s)', w.drainMs / 1000, b.drainMs / 1000),
    row(`submit latency p50 (ms, n=${lat.weft.n})`, lat.weft.median, lat.bare.median),
    row('submit latency p95 (ms)', lat.weft.p95, lat.bare.p95),
    row('submit latency p99 (ms)', lat.weft.p99, lat.bare.p99),
    row('errors (non-2xx, no answer, failed runs)', errors(w), errors(b)),
    row('Postgres transactions per run', perRun(w, w.cost.pg.xacts), perRun(b, b.cost.pg.xacts)),
    row('Redis commands per run', perRun(w, w.cost.redisCommands), perRun(b, b.cost.redisCommands)),
  ];
}

export const submit100: Workload = {
  name: 'submit100',
  description:
    'Sustained load through the REST API by BENCH_SUBMIT_CLIENTS (100) concurrent keep-alive HTTP clients on a ' +
    `${STEPS}-step workflow trigger → transform → transform (pure steps: inline in the orchestrator, the default), in two phases, each on a fresh platform after a short warm-up. ` +
    'Paced (the issue\'s target): open loop at BENCH_SUBMIT_RATE (400) runs/s over all clients for BENCH_SUBMIT_SECONDS (60), as wrk2 does: each request has a due time and its latency counts from then, ' +
    'so a stall shows as latency. Capacity: closed loop (each client sends its next request as soon as answered) for BENCH_SUBMIT_CAPACITY_SECONDS (20): the most the server accepts; ' +
    'there the latency is queueing (Little: 100 clients / rate). ' +
    'Completion is read from Postgres every second; after each window the bench waits for the backlog to drain. ' +
    'Baseline (bare-fastify-bullmq): a separate process with a bare Fastify server that does one Postgres INSERT and one BullMQ add per request, ' +
    'and a BullMQ worker (concurrency BENCH_BASELINE_CONCURRENCY) that marks the row done with one UPDATE; no auth, validation, events or outbox.',

  async run(ctx) {
    const phases = [];
    for (const mode of modes()) phases.push({ mode, weft: await measureWeft(ctx, mode), baseline: await measureBaseline(ctx, mode) });
    const statuses = (m: Measured) => Object.entries(m.load.statuses).map(([s, n]) => `${s}: ${n}`).join(', ');
    return {
      rows: phases.flatMap((p) => rows(p.mode, p.weft, p.baseline)),
      notes: phases.flatMap(({ mode, weft, baseline }) => [
        `Where the CPU went during the ${mode.name} window and the drain (submit100):`,
        '',
        describeCost('weft', weft.cost, { n: weft.load.accepted, unit: 'run' }),
        describeCost('bare-fastify-bullmq', baseline.cost, { n: baseline.load.accepted, unit: 'run' }),
        '',
        `Answers by status (${mode.name}): weft ${statuses(weft)}; baseline ${statuses(baseline)}.`,
        `Completed per second during the ${mode.name} window (weft): ${weft.completedPerSecond.join(' ')}.`,
        '',
      ]),
      details: Object.fromEntries(
        phases.map(({ mode, weft, baseline }) => [
          mode.name,
          {
            weft: { ...weft, load: { ...weft.load, latency: summarize(weft.load.latencyMs) } },
            baseline: { ...baseline, load: { ...baseline.load, latency: summarize(baseline.load.latencyMs) } },
          },
        ]),
      ),
    };
  },
};
