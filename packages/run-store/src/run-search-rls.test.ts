import { asMaintenance, createDb, withOrg, type Db } from '@weft/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedWorkflow, useSeededDatabase, type Workflow } from '../test/seed';
import { SEARCH_MATCH_CAP, searchRunIds } from './run-search';
import { runPage } from './views';

/**
 * The error-text search as the gateway runs it: as `weft_app` under the runs table's row-level
 * security policy (issue 16, bench row runs10m). There `error_text ILIKE …` cannot be an index
 * condition of the trigram GIN (ILIKE is not leakproof), so step 2 goes through the SECURITY
 * DEFINER function `weft_error_text_matches` (migration 20261214006000), which reads the org from
 * `weft.org_id` only. Plans are read with auto_explain (nested statements: the function's), no timing.
 */
const t = useSeededDatabase();
let other: Workflow;
let app: Db; // weft_app / weft_maintenance, as the services run with WEFT_RLS=on
let owner: Db; // the tables' owner, as with WEFT_RLS=off
const plans: string[] = [];

/** `n` failed runs of `wf` with `message`, ids increasing from `from` (UUIDv7-shaped, creation order). */
const failedRuns = (wf: Workflow, message: string, from: number, n: number, triggerType = 'api') =>
  t.pool.query(
    `INSERT INTO runs (id, org_id, workflow_id, workflow_version_id, status, inputs, kind, trigger_type, error)
     SELECT ('00000000-0000-7000-8000-' || lpad(to_hex(g), 12, '0'))::uuid, $1, $2, $3, 'failed', '{}', 'run', $4,
            jsonb_build_object('code', 'step-failed', 'message', $5 || ' #' || g)
       FROM generate_series($6::bigint, $6::bigint + $7 - 1) g`,
    [wf.orgId, wf.workflowId, wf.versionId, triggerType, message, from, n],
  );

/** The org's matching ids, newest first, straight from the table (as the owner). */
const expected = async (orgId: string, like: string, extra = 'true') =>
  (await t.pool.query<{ id: string }>(`SELECT id FROM runs WHERE org_id = $1 AND error_text ILIKE $2 AND ${extra} ORDER BY id DESC`, [orgId, like])).rows.map((r) => r.id);

beforeAll(async () => {
  other = await seedWorkflow(t.pool);
  // Oldest → newest: a text older than the window with more matches than the cap, a rare text,
  // many errors without either, the rare text on webhook runs, more of the rest (the window).
  await failedRuns(t.wf, 'old common text', 1, SEARCH_MATCH_CAP + 500);
  await failedRuns(t.wf, 'needle in the stack', 2_000, 3);
  await failedRuns(t.wf, 'upstream timed out', 3_000, 10_000);
  await failedRuns(t.wf, 'needle in the stack', 13_000, 2, 'webhook');
  await failedRuns(t.wf, 'upstream timed out', 14_000, 10_000);
  // Another org whose runs match too, newest of all.
  await failedRuns(other, 'needle in the stack', 30_000, 20);
  await t.pool.query('VACUUM ANALYZE runs');
  app = createDb({ url: t.pool.options.connectionString!, poolMax: 2, rls: { default: 'none' } });
  owner = createDb({ url: t.pool.options.connectionString!, poolMax: 2 });
  // Every plan the app pool's connections execute, nested ones included (the function's).
  app.pool.on('connect', (client) => {
    client.on('notice', (n) => plans.push(n.message ?? ''));
    void client.query(
      `LOAD 'auto_explain'; SET auto_explain.log_min_duration = 0; SET auto_explain.log_nested_statements = on; SET client_min_messages = log`,
    );
  });
}, 120_000);
afterAll(async () => {
  await app?.close();
  await owner?.close();
});

const matches = (db: Db, pattern: string) =>
  db.pool.query<{ ids: string[] }>(`SELECT ARRAY(SELECT weft_error_text_matches($1, NULL, NULL, 100) ORDER BY 1 DESC) AS ids`, [pattern]).then((r) => r.rows[0]!.ids);

describe('weft_error_text_matches (SECURITY DEFINER)', () => {
  it("returns only the org of weft.org_id's runs, though another org's runs match", async () => {
    expect(await withOrg(t.wf.orgId, () => matches(app, '%needle%'))).toEqual(await expected(t.wf.orgId, '%needle%'));
    expect(await withOrg(other.orgId, () => matches(app, '%needle%'))).toEqual(await expected(other.orgId, '%needle%'));
    expect(await expected(other.orgId, '%needle%')).toHaveLength(20);
  });

  it('returns nothing when no org is set: weft_app without an org, maintenance, the owner', async () => {
    expect(await matches(app, '%needle%')).toEqual([]);
    expect(await asMaintenance(() => matches(app, '%needle%'))).toEqual([]);
    expect(await matches(owner, '%needle%')).toEqual([]);
  });

  it('may not be called by a role that was not granted it', async () => {
    const c = await t.pool.connect();
    try {
      await c.query('CREATE ROLE weft_search_stranger NOLOGIN').catch(() => undefined);
      await c.query('SET ROLE weft_search_stranger');
      await expect(c.query(`SELECT weft_error_text_matches('%', NULL, NULL, 1)`)).rejects.toThrow(/permission denied/);
    } finally {
      await c.query('RESET ROLE');
      await c.query('DROP ROLE IF EXISTS weft_search_stranger').catch(() => undefined);
      c.release();
    }
  });
});

describe('the error search as weft_app', () => {
  it('finds a rare text older than the window with the trigram GIN, ILIKE as its index condition', async () => {
    plans.length = 0;
    const ids = await withOrg(t.wf.orgId, () => searchRunIds(app, t.wf.orgId, { q: 'needle', limit: 51, id: {} }));
    expect(ids).toEqual(await expected(t.wf.orgId, '%needle%'));
    const gin = plans.filter((p) => /Bitmap Index Scan on runs_error_text_trgm_idx[\s\S]*?Index Cond: [^\n]*error_text ~~\*/.test(p));
    expect(gin, plans.join('\n---\n')).not.toHaveLength(0);
    // No plan walked the org's errored runs testing the text as a filter (only the matches' ids are filtered so).
    const walks = plans.filter((p) => !/id = ANY/.test(p) && /runs_error_text_id_idx[\s\S]*Filter: [^\n]*~~\*[^\n]*needle/.test(p));
    expect(walks).toEqual([]);
  });

  it('answers what the owner (WEFT_RLS=off) answers: rare, rare with a filter, more matches than the cap, none', async () => {
    const cases = [
      { q: 'needle', limit: 51, id: {} },
      { q: 'needle', limit: 51, triggerType: 'webhook' as const, id: {} },
      { q: 'needle', limit: 2, id: {} },
      { q: 'old common', limit: 5, id: {} },
      { q: 'old common', limit: 51, status: 'cancelled' as const, id: {} },
      { q: 'nowhere', limit: 51, id: {} },
    ];
    for (const s of cases) {
      const scoped = await withOrg(t.wf.orgId, () => searchRunIds(app, t.wf.orgId, s));
      expect(scoped, s.q).toEqual(await searchRunIds(owner, t.wf.orgId, s));
    }
    expect(await withOrg(t.wf.orgId, () => searchRunIds(app, t.wf.orgId, cases[1]!))).toEqual(await expected(t.wf.orgId, '%needle%', `trigger_type = 'webhook'`));
    expect(await withOrg(t.wf.orgId, () => searchRunIds(app, t.wf.orgId, cases[3]!))).toEqual((await expected(t.wf.orgId, '%old common%')).slice(0, 5));
  });

  it('pages a rare text through the cursor, every match once, newest first', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await withOrg(t.wf.orgId, () => runPage(app, t.wf.orgId, { q: 'needle', limit: 2, ...(cursor ? { cursor } : {}) }));
      seen.push(...page.items.map((r) => r.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(await expected(t.wf.orgId, '%needle%'));
  });
});
