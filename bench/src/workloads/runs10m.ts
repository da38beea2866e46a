import { int, parseEnv } from '@weft/config';
import { APP_ROLE, SCOPE_STATEMENT } from '@weft/db';
import pg from 'pg';
import { z } from 'zod';
import type { Row } from '../report';
import { round, summarize, type Summary } from '../stats';
import { publishWorkflow } from '../weft-runs';
import { windowFloorSql } from '@weft/run-store';
import { dashboardQueries, queryString, searchOf, statementsOf, type ListQuery, type NamedQuery } from '../runs10m/queries';
import { BUILD_MEMORY, seed, uuidOfSql, WORKFLOWS_PER_ORG, type Seeded } from '../runs10m/seed';
import type { Workload } from './types';

const Runs10mEnvSchema = z.object({
  /** Runs seeded (the issue's row count is 10,000,000; a smaller one for a quick look). */
  BENCH_RUNS10M_ROWS: int(10_000_000),
  /** Measured requests per query, after 3 warm-up requests. */
  BENCH_RUNS10M_SAMPLES: int(40),
  /** Days the runs are spread over. */
  BENCH_RUNS10M_DAYS: int(90),
});

const TARGET_P95_MS = 50;

interface Measured {
  name: string;
  query: ListQuery;
  summary: Summary;
  returned: number;
  plan: string;
}

/** GET /v1/runs with the query: the time until the whole body is read, and the page. */
async function timedGet(url: string, apiKey: string, q: ListQuery): Promise<{ ms: number; items: { id: string }[]; nextCursor: string | null }> {
  const t0 = performance.now();
  const res = await fetch(`${url}/v1/runs${queryString(q)}`, { headers: { authorization: `Bearer ${apiKey}` } });
  const body = (await res.json()) as { items: { id: string }[]; nextCursor: string | null };
  const ms = performance.now() - t0;
  if (!res.ok) throw new Error(`GET /v1/runs${queryString(q)}: ${res.status} ${JSON.stringify(body)}`);
  return { ms, ...body };
}

/** The query with the cursor of page `pages` (read through the API first). */
async function withCursor(url: string, apiKey: string, nq: NamedQuery): Promise<ListQuery> {
  let q = nq.query;
  for (let page = 1; page < (nq.pages ?? 1); page++) {
    const r = await timedGet(url, apiKey, q);
    if (!r.nextCursor) throw new Error(`${nq.name}: no page ${page + 1}`);
    q = { ...nq.query, cursor: r.nextCursor };
  }
  return q;
}

/**
 * EXPLAIN of the page's statements as the gateway runs them: as `weft_app` scoped to the org, so
 * the row-level security policy is in the plan (a superuser's plan skips it: under the policy a
 * qual that is not leakproof, such as ILIKE, cannot be an index condition ahead of it).
 */
async function explain(db: pg.Client, orgId: string, q: ListQuery): Promise<string> {
  // auto_explain's settings are a superuser's: set as the bench's login, before the role switch.
  await db.query(`LOAD 'auto_explain'; SET auto_explain.log_min_duration = 0; SET auto_explain.log_nested_statements = on; SET auto_explain.log_analyze = on`).catch(() => undefined);
  await db.query(SCOPE_STATEMENT, [APP_ROLE, orgId]);
  try {
    let floor: string | undefined;
    if (q.q) {
      const st = windowFloorSql(orgId, searchOf({ ...q, q: q.q }));
      floor = (await db.query<{ id: string }>(st.text, st.values)).rows[0]?.id;
    }
    const out: string[] = [];
    // The plans of statements run inside functions (step 2's SECURITY DEFINER one), by auto_explain.
    const nested: string[] = [];
    const onNotice = (n: { message?: string }) => nested.push(n.message ?? '');
    db.on('notice', onNotice);
    await db.query(`SET client_min_messages = log`);
    try {
      for (const st of statementsOf(orgId, q, floor)) {
        nested.length = 0;
        const { rows } = await db.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${st.text}`, st.values);
        const inner = nested.filter((m) => !m.includes('EXPLAIN (ANALYZE'));
        out.push(st.text, ...rows.map((r) => r['QUERY PLAN']), ...(inner.length ? ['inside the function (auto_explain):', ...inner] : []), '');
      }
    } finally {
      db.off('notice', onNotice);
      await db.query(`SET client_min_messages = notice`);
    }
    return out.join('\n');
  } finally {
    await db.query(`RESET ROLE; SELECT set_config('weft.org_id', '', false); SET auto_explain.log_min_duration = -1`);
  }
}

function rows(measured: Measured[], rowCount: number): Row[] {
  const plain = measured[0]!.summary;
  const million = `${round(rowCount / 1e6, 2)}M runs`;
  return measured.flatMap((m) => [
    { workload: 'runs10m', metric: `${m.name}: p95 (ms, ${million}; target < ${TARGET_P95_MS}; baseline = no filter)`, weft: m.summary.p95, baseline: plain.p95, better: 'lower' as const },
    { workload: 'runs10m', metric: `${m.name}: p50 (ms)`, weft: m.summary.median, baseline: plain.median, better: 'lower' as const },
  ]);
}

function notes(measured: Measured[], env: z.infer<typeof Runs10mEnvSchema>, seeded: Seeded): string[] {
  const over = measured.filter((m) => m.summary.p95 >= TARGET_P95_MS);
  return [
    `Target (issue 16): every dashboard list page p95 < ${TARGET_P95_MS} ms with ${env.BENCH_RUNS10M_ROWS.toLocaleString('en')} runs stored: ` +
      (over.length ? `**not met** for ${over.map((m) => `${m.name} (${round(m.summary.p95, 1)} ms)`).join('; ')}` : '**met** for every query') + '.',
    '',
    `Seeded with one INSERT … SELECT over generate_series (bench/src/runs10m/seed.ts) in ${round(seeded.seedMs / 1000, 1)} s with the runs table's secondary indexes dropped (read from pg_indexes first), ` +
      `then those ${seeded.indexes.length} indexes created again from their definitions in ${round(seeded.indexMs / 1000, 1)} s (maintenance_work_mem ${BUILD_MEMORY}; ` +
      `${seeded.indexes.map((i) => `${i.name} ${round(i.ms / 1000, 1)} s`).join(', ')}), then VACUUM ANALYZE (${round(seeded.vacuumMs / 1000, 1)} s); ` +
      `runs table with its indexes: ${round(seeded.tableBytes / 2 ** 30, 2)} GiB. 10 orgs (the bench's API key's org holds 40 %), ${WORKFLOWS_PER_ORG} workflows each (skewed), ` +
      `spread over ${env.BENCH_RUNS10M_DAYS} days; 88 % succeeded, 8 % failed (each with an error message of ten kinds), 4 % cancelled, 0.2 % waiting, live runs in the last 10 minutes.`,
    `Each query: 3 warm-up requests, then ${env.BENCH_RUNS10M_SAMPLES} sequential GET /v1/runs (limit 50) through the real gateway (HTTP on loopback, API key auth, Zod serialisation), ` +
      'time = request sent → JSON body read. Page 3 = the cursor read through the API first.',
    '',
    'EXPLAIN (ANALYZE, BUFFERS) of each page\'s statement, after the measured requests (run-store\'s search steps for `q` — the step 2 only runs when step 1 found fewer than 51 — then the page\'s rows by primary key; else the WHERE / ORDER BY / LIMIT Prisma sends for runPage):',
    '',
    ...measured.flatMap((m) => [`<details><summary>${m.name}: p50 ${round(m.summary.median, 1)} ms, p95 ${round(m.summary.p95, 1)} ms, ${m.returned} rows</summary>`, '', '```', m.plan, '```', '</details>', '']),
  ];
}

export const runs10m: Workload = {
  name: 'runs10m',
  onlyWhenNamed: true,
  description:
    'The dashboard\'s runs list with 10,000,000 runs stored (BENCH_RUNS10M_ROWS): every filter (status, trigger type, time range, workflow, error text), combined, and cursor pages, ' +
    'p50/p95 through the real API. Baseline: the unfiltered newest-50 page, same run.',

  async run(ctx) {
    const env = parseEnv(Runs10mEnvSchema, process.env);
    // The seeded live runs have no steps: the reconciler is told to leave them alone for the run.
    return ctx.withPlatform({ WEFT_RECONCILE_AFTER_MS: String(10 * 86_400_000) }, async (platform) => {
      const db = new pg.Client({ connectionString: ctx.infra.databaseUrl });
      await db.connect();
      try {
        const workflowId = await publishWorkflow(platform.client, 'bench runs10m', { nodes: [{ id: 'start', type: 'trigger', config: {} }], edges: [] });
        const { rows: [v] } = await db.query<{ org_id: string; id: string }>('SELECT org_id, id FROM workflow_versions WHERE workflow_id = $1', [workflowId]);
        ctx.log(`runs10m: seeding ${env.BENCH_RUNS10M_ROWS.toLocaleString('en')} runs (one statement; minutes for 10M)`);
        const seeded = await seed(db, { rows: env.BENCH_RUNS10M_ROWS, orgId: v!.org_id, workflowId, versionId: v!.id, days: env.BENCH_RUNS10M_DAYS }, ctx.log);
        const { rows: [cold] } = await db.query<{ id: string }>(`SELECT ${uuidOfSql("$1::uuid::text || ':' || $2")}::text AS id`, [v!.org_id, WORKFLOWS_PER_ORG - 1]);
        const measured: Measured[] = [];
        for (const nq of dashboardQueries({ hot: workflowId, cold: cold!.id }, Date.now())) {
          const q = await withCursor(platform.url, platform.apiKey, nq);
          for (let i = 0; i < 3; i++) await timedGet(platform.url, platform.apiKey, q);
          const samples: number[] = [];
          let returned = 0;
          for (let i = 0; i < env.BENCH_RUNS10M_SAMPLES; i++) {
            const r = await timedGet(platform.url, platform.apiKey, q);
            samples.push(r.ms);
            returned = r.items.length;
          }
          const summary = summarize(samples);
          ctx.log(`runs10m: ${nq.name}: p50 ${round(summary.median, 1)} ms, p95 ${round(summary.p95, 1)} ms (${returned} rows)`);
          measured.push({ name: nq.name, query: q, summary, returned, plan: await explain(db, v!.org_id, q) });
        }
        return {
          rows: rows(measured, env.BENCH_RUNS10M_ROWS),
          notes: notes(measured, env, seeded),
          details: { settings: env, seeded, queries: measured.map((m) => ({ name: m.name, query: m.query, summary: m.summary, returned: m.returned })) },
        };
      } finally {
        await db.end();
      }
    });
  },
};
