import { type Db } from '@weft/db';
import { beforeAll, describe, expect, it } from 'vitest';
import { useSeededDatabase } from '../test/seed';
import { searchRunIds } from './run-search';

/**
 * A rare error text among many errored runs (issue 16, bench row runs10m): step 1 finds none of it
 * among the newest errored runs, and step 2 must take the trigram GIN. Here the planner expects the
 * text's 1 % spread evenly over the older runs (one message, so the statistics count it exactly;
 * those runs are in fact the oldest), so a plain `ORDER BY id DESC LIMIT 51` makes it walk the ids
 * backward through every newer errored run (as at 10M runs: 50,322 entries read for "duplicate
 * invoice"). Checked on the plan of the statements searchRunIds really sends, no timing.
 */
const t = useSeededDatabase();
const MANY = 30_000;
const RARE = 300;
const sent: { text: string; values: unknown[] }[] = [];

beforeAll(async () => {
  // Oldest: the rare text; then many errored runs whose messages share most of its words.
  await t.pool.query(
    `INSERT INTO runs (id, org_id, workflow_id, workflow_version_id, status, inputs, kind, trigger_type, error)
     SELECT ('00000000-0000-7000-8000-' || lpad(to_hex(g), 12, '0'))::uuid, $1, $2, $3, 'failed', '{}', 'run', 'api',
            jsonb_build_object('message', CASE WHEN g <= $4::int THEN 'ledger: duplicate invoice'
                                               ELSE 'ledger: invoice number INV-' || g || ' is late' END)
       FROM generate_series(1, $4::int + $5::int) g`,
    [t.wf.orgId, t.wf.workflowId, t.wf.versionId, RARE, MANY],
  );
  await t.pool.query('VACUUM ANALYZE runs');
}, 120_000);

interface PlanNode {
  'Node Type': string;
  'Index Name'?: string;
  'Actual Rows'?: number;
  'Actual Loops'?: number;
  'Rows Removed by Filter'?: number;
  'Rows Removed by Index Recheck'?: number;
  Plans?: PlanNode[];
}

/** Rows and index entries the statement read, and the plan's nodes. */
async function readByPlan(st: { text: string; values: unknown[] }): Promise<{ read: number; plan: string[] }> {
  const { rows } = await t.pool.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(`EXPLAIN (ANALYZE, FORMAT JSON) ${st.text}`, st.values);
  let read = 0;
  const plan: string[] = [];
  const walk = (n: PlanNode) => {
    plan.push(`${n['Node Type']}${n['Index Name'] ? ` (${n['Index Name']})` : ''}`);
    if (n['Node Type'].includes('Scan') && n['Node Type'] !== 'CTE Scan')
      read += ((n['Actual Rows'] ?? 0) + (n['Rows Removed by Filter'] ?? 0) + (n['Rows Removed by Index Recheck'] ?? 0)) * (n['Actual Loops'] ?? 1);
    for (const child of n.Plans ?? []) walk(child);
  };
  walk(rows[0]!['QUERY PLAN'][0].Plan);
  return { read, plan };
}

describe('searching a rare error text older than the newest errored runs', () => {
  it('finds its newest matches through the trigram GIN, reading about its matches only', async () => {
    const pool = t.pool;
    const recording = {
      query: (text: string, values: unknown[]) => {
        sent.push({ text, values });
        return pool.query(text, values);
      },
    };
    const ids = await searchRunIds({ pool: recording } as unknown as Db, t.wf.orgId, { q: 'duplicate invoice', limit: 51, id: {} });
    expect(ids).toHaveLength(51);
    expect(ids[0]).toBe(`00000000-0000-7000-8000-${RARE.toString(16).padStart(12, '0')}`);
    // The floor, step 1 (the newest errored runs: none matches), step 2 (the older rest).
    expect(sent).toHaveLength(3);
    const { read, plan } = await readByPlan(sent[2]!);
    expect(plan.join(' > '), sent[2]!.text).toContain('Bitmap Index Scan (runs_error_text_trgm_idx)');
    // The 300 matches (and the GIN's rechecks); walking the keyset index reads the ~29,000 newer errored runs first.
    expect(read, `${sent[2]!.text}\n${plan.join(' > ')}`).toBeLessThan(2_000);
  });
});
