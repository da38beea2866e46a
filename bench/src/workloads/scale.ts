import { int, parseEnv } from '@weft/config';
import { functionChain } from './chain10';
import pg from 'pg';
import { z } from 'zod';
import type { BenchInfra } from '../infra';
import type { BenchPlatform } from '../platform';
import type { Row } from '../report';
import { describeCost, watchPhase, type PhaseCost } from '../resources';
import { publishWorkflow } from '../weft-runs';
import type { Workload, WorkloadContext } from './types';

const ScaleEnvSchema = z.object({
  /** Runs submitted at once per executor count (the measured burst). */
  BENCH_SCALE_RUNS: int(400),
  /** Runs done first on each platform and thrown away (JIT, pools). */
  BENCH_SCALE_WARMUP_RUNS: int(30),
  /** Executor processes per platform, in order, comma-separated. */
  BENCH_SCALE_EXECUTORS: z.string().default('1,2,4'),
});

/** trigger → f1 → f2 → f3 (`functionChain`): executor steps only. */
const STEPS = 3;
/** Small pools: 4 executors + orchestrator + gateway stay far below max_connections (100) of a shared server. */
const OVERRIDES = { WEFT_DB_POOL_MAX: '10' };


interface Burst {
  /** First run created → last run finished, from the runs' own timestamps (ms). */
  wallMs: number;
  runsPerSecond: number;
  cost: PhaseCost;
}

/**
 * Submits `n` runs at once and waits (polling one count in Postgres every 200 ms, which loads
 * nothing) until every one ended; throws unless all succeeded with the expected output.
 */
async function burst(platform: BenchPlatform, db: pg.Pool, workflowId: string, n: number, watch?: BenchInfra): Promise<Burst | undefined> {
  const watcher = watch ? await watchPhase(watch) : undefined;
  await Promise.all(Array.from({ length: n }, (_, i) => platform.client.createRun({ workflowId, inputs: { n: i } })));
  const until = Date.now() + 300_000;
  for (;;) {
    const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM runs WHERE workflow_id = $1 AND status IN ('succeeded', 'failed', 'cancelled')`, [workflowId]);
    if (rows[0]!.n >= n) break;
    if (Date.now() > until) throw new Error(`scale: ${rows[0]!.n}/${n} runs ended after 300 s`);
    await new Promise((r) => setTimeout(r, 200));
  }
  const cost = await watcher?.stop();
  const { rows } = await db.query<{ ok: number; bad: number; wall_ms: number }>(
    `WITH r AS (
       SELECT runs.status, runs.created_at, runs.finished_at, s.output = to_jsonb('run-' || (runs.inputs->>'n') || '-2-3') AS right_output
       FROM runs LEFT JOIN run_steps s ON s.run_id = runs.id AND s.node_id = 'f${STEPS}' AND s.status = 'succeeded'
       WHERE runs.workflow_id = $1)
     SELECT count(*) FILTER (WHERE status = 'succeeded' AND right_output)::int AS ok,
            count(*) FILTER (WHERE NOT (status = 'succeeded' AND coalesce(right_output, false)))::int AS bad,
            (extract(epoch FROM max(finished_at) - min(created_at)) * 1000)::float8 AS wall_ms
     FROM r`,
    [workflowId],
  );
  const r = rows[0]!;
  if (r.bad > 0 || r.ok !== n) throw new Error(`scale: ${r.bad} of ${n} runs did not succeed with the expected output`);
  return cost ? { wallMs: r.wall_ms, runsPerSecond: (n * 1000) / r.wall_ms, cost } : undefined;
}

async function measure(ctx: WorkloadContext, db: pg.Pool, executors: number, runs: number, warmup: number): Promise<Burst> {
  return ctx.withPlatform(
    OVERRIDES,
    async (platform) => {
      const [warm, measured] = await Promise.all([
        publishWorkflow(platform.client, `bench scale ${executors} warm-up`, functionChain(STEPS)),
        publishWorkflow(platform.client, `bench scale ${executors}`, functionChain(STEPS)),
      ]);
      ctx.log(`scale: ${executors} executor(s): ${warmup} warm-up runs, then ${runs} at once`);
      await burst(platform, db, warm, warmup);
      return (await burst(platform, db, measured, runs, ctx.infra))!;
    },
    { executors },
  );
}

type Group = 'postgres' | 'executor' | 'orchestrator' | 'gateway' | 'other';
const cores = (c: PhaseCost, g: Group) => c.cpu?.[g].cores ?? Number.NaN;

export const scale: Workload = {
  name: 'scale',
  description:
    'Throughput against executor processes: trigger → 3 `function` steps (executor steps, the registered `slugify`), BENCH_SCALE_RUNS (400) runs submitted at once, ' +
    'on a platform of one gateway, one orchestrator and BENCH_SCALE_EXECUTORS (1, 2 and 4) executor processes (each WEFT_EXECUTOR_CONCURRENCY 32, WEFT_DB_POOL_MAX 10), ' +
    'one after the other in the same run on the same Postgres and Redis. runs/s = runs / (last run finished − first run created); baseline = the 1-executor platform of the same run, ' +
    'so the ratio is the speed-up. CPU per process group (cores = CPU-seconds / wall seconds of the burst) shows what saturates; CPU per run shows what each run costs each group, whatever the machine\'s load.',
  async run(ctx) {
    const env = parseEnv(ScaleEnvSchema);
    const counts = env.BENCH_SCALE_EXECUTORS.split(',').map((s) => Number(s.trim())).filter((n) => Number.isInteger(n) && n > 0);
    const db = new pg.Pool({ connectionString: ctx.infra.databaseUrl, max: 2 });
    const results: Record<number, Burst> = {};
    try {
      for (const k of counts) results[k] = await measure(ctx, db, k, env.BENCH_SCALE_RUNS, env.BENCH_SCALE_WARMUP_RUNS);
    } finally {
      await db.end();
    }
    const base = results[counts[0]!]!.runsPerSecond;
    const rows: Row[] = counts.flatMap((k) => {
      const r = results[k]!;
      const row = (metric: string, weft: number, baseline: number | null, better: Row['better'] = 'lower'): Row => ({ workload: 'scale', metric: `${k} executor${k === 1 ? '' : 's'}: ${metric}`, weft, baseline, better });
      const perRun = (g: Group) => ((r.cost.cpu?.[g].cpuSeconds ?? Number.NaN) * 1000) / env.BENCH_SCALE_RUNS;
      return [
        row('runs/s (3 executor steps each)', r.runsPerSecond, base, 'higher'),
        row('steps/s', r.runsPerSecond * STEPS, base * STEPS, 'higher'),
        row('Postgres CPU (cores)', cores(r.cost, 'postgres'), null),
        row('Postgres CPU per run (ms)', perRun('postgres'), null),
        row('executors CPU per run (ms, all processes)', perRun('executor'), null),
        row('orchestrator CPU per run (ms)', perRun('orchestrator'), null),
        row('gateway CPU per run (ms)', perRun('gateway'), null),
        row('other processes CPU (cores)', cores(r.cost, 'other'), null),
      ];
    });
    return {
      rows,
      notes: [
        'Where the CPU went during each measured burst (the machine has the cores `os.cpus()` reports; "other" is everything not Weft, its Postgres or its Redis):',
        '',
        ...counts.map((k) => describeCost(`${k} executor${k === 1 ? '' : 's'}`, results[k]!.cost, { n: env.BENCH_SCALE_RUNS, unit: 'run' })),
      ],
      details: { runs: env.BENCH_SCALE_RUNS, warmup: env.BENCH_SCALE_WARMUP_RUNS, steps: STEPS, overrides: OVERRIDES, results },
    };
  },
};
