import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { int, parseEnv } from '@weft/config';
import { WeftClient } from '@weft/sdk';
import type { CreateWorkflowBody } from '@weft/workflow-schema';
import pg from 'pg';
import { z } from 'zod';
import { pacedLoop, type LoadResult } from '../http-load';
import { LoadProcess } from '../load-process';
import type { BenchPlatform } from '../platform';
import type { Row } from '../report';
import { describeCost, sumCosts, watchPhase, type PhaseCost } from '../resources';
import { summarize } from '../stats';
import { publishWorkflow } from '../weft-runs';
import type { Workload, WorkloadContext } from './types';

const RateLimitEnvSchema = z.object({
  /** Run creations per second each org may make (WEFT_RATE_LIMIT_ORG_RUNS_RATE of the platform; burst the same). */
  BENCH_RATELIMIT_ORG_RATE: int(20),
  /** Offered load of the noisy org A (POST /v1/runs per second, open loop): far above its limit. */
  BENCH_RATELIMIT_NOISY_RATE: int(200),
  /** Connections of org A's load. */
  BENCH_RATELIMIT_NOISY_CLIENTS: int(8),
  /** Org B's submissions per second (open loop, one connection), under its limit. */
  BENCH_RATELIMIT_QUIET_RATE: int(10),
  /** Length of each window (s); windows alternate B alone / B while A is throttled. */
  BENCH_RATELIMIT_WINDOW_SECONDS: int(6),
  /** Pairs of windows (B alone, then B with A), interleaved so that both meet the same machine. */
  BENCH_RATELIMIT_ROUNDS: int(5),
});
type Settings = z.infer<typeof RateLimitEnvSchema>;

/** trigger → transform: a run the workers finish at once, so the gateway is what is measured. */
const DEFINITION: CreateWorkflowBody['definition'] = {
  nodes: [
    { id: 'trigger', type: 'trigger', config: {} },
    { id: 'done', type: 'transform', config: { expression: '`true`' } },
  ],
  edges: [{ source: 'trigger', target: 'done' }],
};

/** A new org with an admin key, written into the bench's database (orgs cannot be created through the API yet). */
async function newOrg(databaseUrl: string, slug: string): Promise<string> {
  const key = `weft_${randomBytes(32).toString('base64url')}`;
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const orgId = randomUUID();
    await client.query('INSERT INTO orgs (id, slug, name) VALUES ($1, $2, $2)', [orgId, slug]);
    await client.query(`INSERT INTO api_keys (id, org_id, name, prefix, hash, role) VALUES ($1, $2, 'bench', $3, $4, 'admin')`, [
      randomUUID(), orgId, key.slice(0, 9), createHash('sha256').update(key).digest('hex'),
    ]);
    return key;
  } finally {
    await client.end();
  }
}

interface Org {
  key: string;
  workflowId: string;
}

async function measure({ log, infra }: WorkloadContext, platform: BenchPlatform, s: Settings) {
  const orgs: Org[] = [];
  for (const slug of ['noisy-a', 'quiet-b']) {
    const key = await newOrg(infra.databaseUrl, slug);
    orgs.push({ key, workflowId: await publishWorkflow(new WeftClient({ baseUrl: platform.url, apiKey: key }), `bench ratelimit ${slug}`, DEFINITION) });
  }
  const [a, b] = orgs as [Org, Org];
  const request = (org: Org, rate: number, clients: number) => ({
    url: platform.url, path: '/v1/runs', headers: { authorization: `Bearer ${org.key}` },
    clients, durationMs: s.BENCH_RATELIMIT_WINDOW_SECONDS * 1000, ratePerSecond: rate,
  });
  const quiet = () => pacedLoop({ ...request(b, s.BENCH_RATELIMIT_QUIET_RATE, 1), body: () => ({ workflowId: b.workflowId, inputs: {} }) });
  // A's load from a process of its own: its answers must not delay B's on the bench's event loop.
  const flood = await LoadProcess.start();
  const noisy = () => flood.run({ ...request(a, s.BENCH_RATELIMIT_NOISY_RATE, s.BENCH_RATELIMIT_NOISY_CLIENTS), body: { workflowId: a.workflowId, inputs: {} } });
  try {
    return await interleave(log, s, quiet, noisy, () => watchPhase(infra));
  } finally {
    await flood.stop();
  }
}

type Watch = () => Promise<{ stop(): Promise<PhaseCost> }>;

async function interleave(log: WorkloadContext['log'], s: Settings, quiet: () => Promise<LoadResult>, noisy: () => Promise<LoadResult>, watch: Watch) {
  // Warm-up (not measured): JIT, pools, the keys' verdicts cached, both buckets touched.
  await Promise.all([quiet(), noisy()]);
  const alone: LoadResult[] = [];
  const withNoisy: LoadResult[] = [];
  const noisyLoads: LoadResult[] = [];
  const costs = { alone: [] as PhaseCost[], withNoisy: [] as PhaseCost[] };
  for (let round = 0; round < s.BENCH_RATELIMIT_ROUNDS; round++) {
    log(`ratelimit: round ${round + 1}/${s.BENCH_RATELIMIT_ROUNDS}: org B alone, then org B while org A sends ${s.BENCH_RATELIMIT_NOISY_RATE}/s`);
    let w = await watch();
    alone.push(await quiet());
    costs.alone.push(await w.stop());
    w = await watch();
    const [bResult, aResult] = await Promise.all([quiet(), noisy()]);
    costs.withNoisy.push(await w.stop());
    withNoisy.push(bResult);
    noisyLoads.push(aResult);
  }
  return { alone, withNoisy, noisyLoads, costs: { alone: sumCosts(costs.alone), withNoisy: sumCosts(costs.withNoisy) } };
}

type Result = Awaited<ReturnType<typeof measure>>;

const sumStatuses = (loads: LoadResult[]) => {
  const out: Record<string, number> = {};
  for (const l of loads) for (const [k, v] of Object.entries(l.statuses)) out[k] = (out[k] ?? 0) + v;
  return out;
};
const nonAccepted = (statuses: Record<string, number>) => Object.entries(statuses).filter(([k]) => k !== '202').reduce((n, [, v]) => n + v, 0);

function rows(r: Result, s: Settings): Row[] {
  const withA = summarize(r.withNoisy.flatMap((l) => l.latencyMs));
  const alone = summarize(r.alone.flatMap((l) => l.latencyMs));
  const a = sumStatuses(r.noisyLoads);
  // Over the time A's windows really took (a late answer extends a window past its nominal length).
  const seconds = r.noisyLoads.reduce((t, l) => t + l.wallMs, 0) / 1000;
  const row = (metric: string, weft: number, baseline: number | null, better: Row['better'] = 'lower'): Row => ({ workload: 'ratelimit', metric, weft, baseline, better });
  return [
    row(`org B submit p50 (ms, n=${withA.n}; baseline: B alone, n=${alone.n})`, withA.median, alone.median),
    row('org B submit p95 (ms)', withA.p95, alone.p95),
    row('org B submit p99 (ms)', withA.p99, alone.p99),
    row('org B answers not 202 (count)', nonAccepted(sumStatuses(r.withNoisy)), nonAccepted(sumStatuses(r.alone))),
    row(`org A accepted runs/s (limit ${s.BENCH_RATELIMIT_ORG_RATE}/s, offered ${s.BENCH_RATELIMIT_NOISY_RATE}/s)`, (a['202'] ?? 0) / seconds, null, 'higher'),
    row('org A answered 429 per second', (a['429'] ?? 0) / seconds, null, 'higher'),
  ];
}

export const ratelimit: Workload = {
  name: 'ratelimit',
  description:
    'One noisy org does not slow another: org B submits runs (POST /v1/runs, paced, under its limit) while org A offers far more than ' +
    "its org-runs bucket allows and is answered 429; B's submit latency with A throttled (weft column) against B alone (baseline " +
    'column), windows interleaved on one platform whose org run limit is lowered for the bench.',

  async run(ctx) {
    const s = parseEnv(RateLimitEnvSchema, process.env);
    const overrides = { WEFT_RATE_LIMIT_ORG_RUNS_RATE: String(s.BENCH_RATELIMIT_ORG_RATE), WEFT_RATE_LIMIT_ORG_RUNS_BURST: String(s.BENCH_RATELIMIT_ORG_RATE) };
    const result = await ctx.withPlatform(overrides, (p) => measure(ctx, p, s));
    const a = sumStatuses(result.noisyLoads);
    return {
      rows: rows(result, s),
      notes: [
        `Platform: ${Object.entries(overrides).map(([k, v]) => `${k}=${v}`).join(', ')}; other limits at their defaults. Orgs A and B are ordinary orgs ` +
          '(the bootstrap org is not limited). Latency: request due → answer read (open loop, no coordinated omission), 202 answers only.',
        `${s.BENCH_RATELIMIT_ROUNDS} rounds of ${s.BENCH_RATELIMIT_WINDOW_SECONDS} s: B alone, then B with A; B at ${s.BENCH_RATELIMIT_QUIET_RATE}/s on one connection, ` +
          `A at ${s.BENCH_RATELIMIT_NOISY_RATE}/s on ${s.BENCH_RATELIMIT_NOISY_CLIENTS}. A's answers: ${JSON.stringify(a)}.`,
        '',
        'Where the CPU went (windows summed):',
        describeCost('B alone', result.costs.alone),
        describeCost('B while A is throttled', result.costs.withNoisy),
        '',
        "A's refused requests still cost the gateway its work up to the refusal (parse, cached key, one Redis script call, the problem+json answer): " +
          'the difference between the columns is that cost on a shared machine, not a queue A fills.',
      ],
      details: { settings: s, alone: result.alone, withNoisy: result.withNoisy, noisy: result.noisyLoads, costs: result.costs },
    };
  },
};
