import { createDb, newId, type Db } from '@weft/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useSeededDatabase } from '../test/seed';
import { runPage } from './views';

/**
 * The dashboard's runs list filtered by a workflow and a rare status (issue 16, bench row
 * runs10m): the newest runs of the workflow are all succeeded and the org's other workflow has
 * many runs of that status, so neither (org_id, workflow_id, id) nor (org_id, status, id) finds the
 * page without reading every one of those runs. The partial (org_id, workflow_id, status, id)
 * index of failed, cancelled and waiting runs must. Checked on the plan of the statement runPage
 * really sends (recorded from the pool Prisma uses), no timing.
 */
const t = useSeededDatabase();
const MANY = 20_000;
const RARE = 60;
let db: Db;
const sent: { text: string; values: unknown[] }[] = [];

/** Inserts `n` runs of the workflow in `status`, ids in creation order after `from` (UUIDv7-shaped, increasing). */
const insertRuns = (workflowId: string, status: string, from: number, n: number) =>
  t.pool.query(
    `INSERT INTO runs (id, org_id, workflow_id, workflow_version_id, status, inputs, kind, trigger_type)
     SELECT ('00000000-0000-7000-8000-' || lpad(to_hex(g), 12, '0'))::uuid, $1, $2, $3, $4, '{}', 'run', 'api'
       FROM generate_series($5::bigint, $5::bigint + $6 - 1) g`,
    [t.wf.orgId, workflowId, t.wf.versionId, status, from, n],
  );

beforeAll(async () => {
  const other = newId();
  await t.pool.query(`INSERT INTO workflows (id, org_id, name, draft, latest_version) VALUES ($1, $2, 'other', '{}', 1)`, [other, t.wf.orgId]);
  // Oldest: the workflow's few cancelled runs; then its many succeeded ones; newest: the other workflow's many cancelled ones.
  await insertRuns(t.wf.workflowId, 'cancelled', 1, RARE);
  await insertRuns(t.wf.workflowId, 'succeeded', 1 + RARE, MANY);
  await insertRuns(other, 'cancelled', 1 + RARE + MANY, MANY);
  await t.pool.query('VACUUM ANALYZE runs');
  db = createDb({ url: t.pool.options.connectionString!, poolMax: 2 });
  // Every statement Prisma sends through its pool, with its parameters.
  db.pool.on('connect', (client) => {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
      const [config, values] = args as [string | { text: string; values?: unknown[] }, unknown[] | undefined];
      if (typeof config === 'object' && config.text) sent.push({ text: config.text, values: config.values ?? values ?? [] });
      return query(...args);
    };
  });
}, 120_000);
afterAll(() => db?.close());

interface PlanNode {
  'Node Type': string;
  'Index Name'?: string;
  'Actual Rows'?: number;
  'Actual Loops'?: number;
  'Rows Removed by Filter'?: number;
  Plans?: PlanNode[];
}

/** Rows and index entries the statement read (every node's output plus what its filter removed), and the plan. */
async function readByPlan(st: { text: string; values: unknown[] }): Promise<{ read: number; plan: string[] }> {
  const { rows } = await t.pool.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(`EXPLAIN (ANALYZE, FORMAT JSON) ${st.text}`, st.values);
  let read = 0;
  const plan: string[] = [];
  const walk = (n: PlanNode) => {
    plan.push(`${n['Node Type']}${n['Index Name'] ? ` (${n['Index Name']})` : ''}`);
    if (n['Node Type'].includes('Scan')) read += ((n['Actual Rows'] ?? 0) + (n['Rows Removed by Filter'] ?? 0)) * (n['Actual Loops'] ?? 1);
    for (const child of n.Plans ?? []) walk(child);
  };
  walk(rows[0]!['QUERY PLAN'][0].Plan);
  return { read, plan };
}

describe('the runs list of one workflow and a rare status', () => {
  it('answers the newest runs of that status, reading about a page of index entries and rows', async () => {
    sent.length = 0;
    const page = await runPage(db, t.wf.orgId, { limit: 50, workflowId: t.wf.workflowId, status: 'cancelled' });
    expect(page.items).toHaveLength(50);
    expect(page.items.every((r) => r.workflowId === t.wf.workflowId && r.status === 'cancelled')).toBe(true);
    expect(page.nextCursor).not.toBeNull();
    const list = sent.filter((s) => /FROM "public"\."runs"/.test(s.text) && /ORDER BY/.test(s.text));
    expect(list).toHaveLength(1);
    const { read, plan } = await readByPlan(list[0]!);
    expect(plan.join(' > ')).toContain('runs_org_id_workflow_id_status_id_idx');
    // A page is 51 runs; without the index the plan reads the workflow's 20,000 succeeded runs or the other workflow's 20,000 cancelled ones.
    expect(read, `${list[0]!.text}\n${plan.join(' > ')}`).toBeLessThan(500);
  });
});
