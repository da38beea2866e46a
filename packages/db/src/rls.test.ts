// Row-level security, the second wall (migration 20261212000300_row_level_security): every
// org-owned table has its policies, and a query that forgets its org filter still sees one org.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, openDb, rowLevelSecurityProblem, type Db } from './client';
import { newId } from './ids';
import { migrate } from './migrate';
import { asIs, asMaintenance, withOrg } from './scope';
import { adminQuery, createScratchDatabase, dropDatabase, scratchName, urlFor, type ScratchDatabase } from './test-support';

/** Runs one query on database `url` as the admin role. */
async function adminQueryRows<T extends pg.QueryResultRow>(url: string, sql: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query<T>(sql);
  } finally {
    await client.end();
  }
}

let scratch: ScratchDatabase;
let owner: Db;
const orgA = newId();
const orgB = newId();

beforeAll(async () => {
  scratch = await createScratchDatabase();
  await migrate(scratch.url);
  owner = createDb({ url: scratch.url, poolMax: 2 });
  for (const [id, slug] of [[orgA, 'a'], [orgB, 'b']] as const) {
    await owner.prisma.org.create({ data: { id, slug, name: slug } });
    await owner.prisma.workflow.create({ data: { id: newId(), orgId: id, name: `flow of ${slug}`, draft: {} } });
  }
});

afterAll(async () => {
  await owner?.close();
  await scratch?.drop();
});

describe('the row-level security meta-test', () => {
  it('finds row-level security and both policies on every table with an org_id column', async () => {
    const { rows } = await owner.pool.query<{ table: string; enabled: boolean; policies: string[] }>(
      `SELECT c.table_name AS table, k.relrowsecurity AS enabled,
              coalesce(array_agg(p.policyname ORDER BY p.policyname) FILTER (WHERE p.policyname IS NOT NULL), '{}') AS policies
         FROM information_schema.columns c
         JOIN pg_class k ON k.relname = c.table_name AND k.relnamespace = 'public'::regnamespace
         LEFT JOIN pg_policies p ON p.schemaname = 'public' AND p.tablename = c.table_name
        WHERE c.table_schema = 'public' AND c.column_name = 'org_id'
        GROUP BY c.table_name, k.relrowsecurity ORDER BY c.table_name`,
    );
    // The schema has some 25 org-owned tables; an empty answer would prove nothing.
    expect(rows.length).toBeGreaterThan(20);
    const unguarded = rows.filter((r) => !r.enabled || !r.policies.includes('weft_org_isolation') || !r.policies.includes('weft_maintenance_all'));
    expect(unguarded, 'org-owned tables without RLS or without its two policies: add them in a migration').toEqual([]);
  });

  it('guards the org-owned tables against the app role only, never the migrating owner', async () => {
    const { rows } = await owner.pool.query<{ forced: number; owned: number }>(
      `SELECT count(*) FILTER (WHERE relforcerowsecurity)::int AS forced,
              count(*) FILTER (WHERE pg_get_userbyid(relowner) IN ('weft_app', 'weft_maintenance'))::int AS owned
         FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind = 'r'`,
    );
    expect(rows[0]).toEqual({ forced: 0, owned: 0 });
  });
});

describe('a Db with row-level security on', () => {
  let db: Db;
  beforeAll(() => {
    // One connection: every scope change below happens on the same session.
    db = createDb({ url: scratch.url, poolMax: 1, rls: { default: 'none' } });
  });
  afterAll(() => db?.close());

  const names = async () => (await db.pool.query<{ name: string }>('SELECT name FROM workflows ORDER BY name')).rows.map((r) => r.name);

  it('sees only the scoped org’s rows through raw SQL that forgets its org filter', async () => {
    expect(await withOrg(orgA, names)).toEqual(['flow of a']);
    expect(await withOrg(orgB, names)).toEqual(['flow of b']);
  });

  it('sees the scoped org’s rows only through Prisma, in and out of transactions', async () => {
    const found = await withOrg(orgA, async () => await db.prisma.workflow.findMany({ select: { orgId: true } }));
    expect(found).toEqual([{ orgId: orgA }]);
    const counted = await withOrg(orgB, async () => await db.prisma.$transaction(async (tx) => tx.workflow.count()));
    expect(counted).toBe(1);
  });

  it('cannot update or delete another org’s rows, even by their id', async () => {
    const updated = await withOrg(orgA, async () => (await db.pool.query(`UPDATE workflows SET name = 'taken'`)).rowCount);
    expect(updated).toBe(1);
    const deleted = await withOrg(orgA, async () => (await db.pool.query('DELETE FROM workflows WHERE org_id = $1', [orgB])).rowCount);
    expect(deleted).toBe(0);
    const { rows } = await owner.pool.query<{ name: string }>('SELECT name FROM workflows WHERE org_id = $1', [orgB]);
    expect(rows).toEqual([{ name: 'flow of b' }]);
    await withOrg(orgA, () => db.pool.query(`UPDATE workflows SET name = 'flow of a'`));
  });

  it('refuses to write a row for another org', async () => {
    const insert = withOrg(orgA, () =>
      db.pool.query(`INSERT INTO workflows (id, org_id, name, draft) VALUES ($1, $2, 'smuggled', '{}')`, [newId(), orgB]),
    );
    await expect(insert).rejects.toMatchObject({ code: '42501' });
    const moved = withOrg(orgA, () => db.pool.query('UPDATE workflows SET org_id = $1', [orgB]));
    await expect(moved).rejects.toMatchObject({ code: '42501' });
  });

  it('sees no org-owned row outside any scope when its default is none', async () => {
    expect(await names()).toEqual([]);
  });

  it('sees every org as the maintenance role, and acts as a non-owner role', async () => {
    expect(await asMaintenance(names)).toEqual(['flow of a', 'flow of b']);
    const who = await asMaintenance(() => db.pool.query<{ role: string }>('SELECT current_user AS role'));
    expect(who.rows).toEqual([{ role: 'weft_maintenance' }]);
    const app = await withOrg(orgA, () => db.pool.query<{ role: string }>('SELECT current_user AS role'));
    expect(app.rows).toEqual([{ role: 'weft_app' }]);
  });

  it('asks as it is (asIs) on a connection as it last acted, with no switch; the run-org lookup answers under any scope', async () => {
    const runOfB = newId();
    const wf = await owner.pool.query<{ id: string }>('SELECT id FROM workflows WHERE org_id = $1', [orgB]);
    const version = newId();
    await owner.pool.query(`INSERT INTO workflow_versions (id, org_id, workflow_id, version, definition) VALUES ($1, $2, $3, 1, '{}')`, [version, orgB, wf.rows[0]!.id]);
    await owner.pool.query(`INSERT INTO runs (id, org_id, workflow_id, workflow_version_id, status, inputs) VALUES ($1, $2, $3, $4, 'queued', '{}')`, [runOfB, orgB, wf.rows[0]!.id, version]);
    try {
      const setting = `SELECT current_user AS role, current_setting('weft.org_id') AS org`;
      await withOrg(orgA, () => db.pool.query('SELECT 1'));
      // The one connection acted for org A last: as it is, it still does (no statement switched it)…
      expect((await asIs(() => db.pool.query(setting))).rows).toEqual([{ role: 'weft_app', org: orgA }]);
      expect(await asIs(names)).toEqual(['flow of a']);
      // …and org A's session learns which org owns B's run by its id, and nothing else of it.
      expect((await asIs(() => db.pool.query('SELECT weft_run_org($1) AS org', [runOfB]))).rows).toEqual([{ org: orgB }]);
      expect((await withOrg(orgA, () => db.pool.query('SELECT id FROM runs WHERE id = $1', [runOfB]))).rows).toEqual([]);
      expect((await asIs(() => db.pool.query('SELECT weft_run_org($1) AS org', [newId()]))).rows).toEqual([{ org: null }]);
    } finally {
      await owner.pool.query('DELETE FROM runs WHERE id = $1', [runOfB]);
      await owner.pool.query('DELETE FROM workflow_versions WHERE id = $1', [version]);
    }
  });

  it('asks as nobody (the app role, no org) on a fresh connection as it is', async () => {
    const fresh = createDb({ url: scratch.url, poolMax: 1, rls: { default: 'maintenance' } });
    try {
      const { rows } = await asIs(() => fresh.pool.query(`SELECT current_user AS role, current_setting('weft.org_id') AS org`));
      expect(rows).toEqual([{ role: 'weft_app', org: '' }]);
      expect((await asIs(() => fresh.pool.query('SELECT count(*)::int AS n FROM workflows'))).rows).toEqual([{ n: 0 }]);
    } finally {
      await fresh.close();
    }
  });

  it('refuses a scope that is not an org id', () => {
    expect(() => withOrg("x' OR true --", names)).toThrow(TypeError);
  });
});

describe('a login role that may not use the roles', () => {
  const role = `weft_rls_test_${randomBytes(4).toString('hex')}`;
  // Databases let PUBLIC connect by default: the role needs nothing else to log in.
  beforeAll(() => adminQuery(`CREATE ROLE ${role} LOGIN`));
  afterAll(() => adminQuery(`DROP ROLE IF EXISTS ${role}`));
  const urlAs = (user: string) => Object.assign(new URL(scratch.url), { username: user }).href;

  it('is told what to grant, and gets a Db with row-level security off and a warning', async () => {
    expect(await rowLevelSecurityProblem(scratch.url)).toBeNull();
    const problem = await rowLevelSecurityProblem(urlAs(role));
    expect(problem).toContain(`GRANT weft_app, weft_maintenance TO ${role}`);
    const warnings: string[] = [];
    const db = await openDb({ url: urlAs(role), rls: true, defaultScope: 'maintenance', warn: (m) => warnings.push(m) });
    await db.close();
    expect(db.rls).toBe(false);
    expect(warnings).toEqual([expect.stringContaining('row-level security is OFF')]);
  });

  it('migrates a database it owns without creating or joining the roles, leaving every policy in place', async () => {
    const name = scratchName();
    await adminQuery(`CREATE DATABASE ${name} OWNER ${role}`);
    try {
      const own = Object.assign(new URL(urlFor(name)), { username: role }).href;
      await migrate(own);
      const { rows } = await adminQueryRows<{ n: number }>(urlFor(name), `SELECT count(*)::int AS n FROM pg_policies WHERE policyname = 'weft_org_isolation'`);
      expect(rows[0]!.n).toBeGreaterThan(20);
      expect(await rowLevelSecurityProblem(own)).toContain('may not SET ROLE');
    } finally {
      await dropDatabase(name);
    }
  });
});
