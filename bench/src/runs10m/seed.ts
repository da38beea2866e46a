import type pg from 'pg';

/** Ids the seed gives the bench's org: its workflows are `workflowId(i)`, i = 0 the real one. */
export interface SeedShape {
  rows: number;
  /** The org of the bench's API key: 40 % of the runs (the busiest of 10 tenants). */
  orgId: string;
  /** A published workflow of that org: its hottest workflow (index 0). */
  workflowId: string;
  versionId: string;
  /** Days the runs are spread over, newest now. */
  days: number;
}

/** A valid version-4 UUID from the md5 of a text expression (Zod's uuid() checks the version and variant). */
export const uuidOfSql = (text: string) => `overlay(overlay(md5(${text}) PLACING '4' FROM 13) PLACING '8' FROM 17)::uuid`;

/** How many workflows each org has; index i is picked with probability ~ falling as i² (a few hot ones). */
export const WORKFLOWS_PER_ORG = 50;


/**
 * One INSERT … SELECT over generate_series: `rows` top-level runs, ids UUIDv7 of their creation
 * time (spread evenly over `days`, newest now), over 10 orgs (the bench org 40 %, 9 others 6.7 %
 * each), 50 workflows per org (skewed: a few hot), statuses as a running system has them
 * (88 % succeeded, 8 % failed, 4 % cancelled; 0.2 % waiting at any age; queued and running only in
 * the last 10 minutes), trigger types (api 60 %, schedule 20 %, webhook 12 %, manual 5 %, retry 2 %,
 * sub_workflow 1 %), and an error of ten kinds on every failed run (HTTP 503 with the order id,
 * time-outs, ECONNREFUSED, 429, schema, a rare duplicate invoice …).
 */
export function seedStatement(s: SeedShape): { text: string; values: unknown[] } {
  const text = `
INSERT INTO runs (id, org_id, workflow_id, workflow_version_id, status, inputs, output, error, kind, trigger_type, last_seq, created_at, started_at, finished_at)
SELECT
  encode(set_bit(set_bit(overlay(uuid_send(gen_random_uuid()) PLACING substring(int8send((extract(epoch FROM t.created_at) * 1000)::bigint) FROM 3) FROM 1 FOR 6), 52, 1), 53, 1), 'hex')::uuid,
  t.org_id,
  CASE WHEN t.org_id = $2::uuid AND t.wf = 0 THEN $3::uuid ELSE ${uuidOfSql("t.org_id::text || ':' || t.wf")} END,
  $4::uuid,
  t.status,
  jsonb_build_object('orderId', t.g, 'amount', (t.g % 997) + 0.99),
  CASE WHEN t.status = 'succeeded' THEN jsonb_build_object('ok', true, 'charged', t.g % 997) END,
  CASE WHEN t.status = 'failed' THEN jsonb_build_object('code', 'step-failed', 'message', CASE
    WHEN t.e < 3 THEN 'Step "charge": HTTP 503 Service Unavailable from https://api.partner' || (t.g % 40) || '.example/v2/orders/' || t.g
    WHEN t.e < 5 THEN 'Step "fetch": request timed out after 30000 ms (GET https://inventory.example/items/' || (t.g % 1000) || ')'
    WHEN t.e < 6 THEN 'Step "map": Cannot read properties of undefined (reading ''email'')'
    WHEN t.e < 7 THEN 'Step "db": connect ECONNREFUSED 10.0.' || (t.g % 250) || '.5:5432'
    WHEN t.e < 8 THEN 'Step "notify": Slack answered 429 Too Many Requests; retry after ' || (t.g % 60) || ' s'
    WHEN t.e < 9 THEN 'Step "validate": the input does not match the schema: /customer/zip must match pattern ^[0-9]{5}$'
    WHEN t.r5 < 0.01 THEN 'Step "ledger": duplicate invoice number INV-' || t.g
    ELSE 'Step "charge": card declined (insufficient_funds) for customer cus_' || (t.g % 100000) END) END,
  'run',
  CASE WHEN t.r4 < 0.60 THEN 'api' WHEN t.r4 < 0.80 THEN 'schedule' WHEN t.r4 < 0.92 THEN 'webhook'
       WHEN t.r4 < 0.97 THEN 'manual' WHEN t.r4 < 0.99 THEN 'retry' ELSE 'sub_workflow' END,
  3,
  t.created_at,
  CASE WHEN t.status <> 'queued' THEN t.created_at + interval '15 ms' END,
  CASE WHEN t.status IN ('succeeded', 'failed', 'cancelled') THEN t.created_at + make_interval(secs => 0.05 + t.r5 * 4) END
FROM (
  SELECT u.*,
    CASE WHEN u.created_at > now() - interval '10 minutes' AND u.r3 < 0.3 THEN (ARRAY['queued', 'running', 'waiting'])[1 + floor(u.r3 * 10)::int]
         WHEN u.r3 < 0.08 THEN 'failed' WHEN u.r3 < 0.12 THEN 'cancelled' WHEN u.r3 < 0.122 THEN 'waiting' ELSE 'succeeded' END AS status
  FROM (
    SELECT g, r1, r3, r4, r5, floor(random() * 10)::int AS e,
      floor(${WORKFLOWS_PER_ORG} * random() ^ 2)::int AS wf,
      CASE WHEN r1 < 0.4 THEN $2::uuid ELSE ${uuidOfSql("'org:' || floor((r1 - 0.4) / 0.6 * 9)::int")} END AS org_id,
      now() - make_interval(secs => ($1::bigint - g) * ($5::float8 * 86400 / $1::bigint)) AS created_at
    FROM (SELECT g, random() AS r1, random() AS r3, random() AS r4, random() AS r5 FROM generate_series(1, $1::bigint) g) x
  ) u
) t`;
  return { text, values: [s.rows, s.orgId, s.workflowId, s.versionId, s.days] };
}

/** An index of the runs table as pg_indexes prints it: the statement that creates it again. */
export interface IndexDef {
  name: string;
  def: string;
}

/**
 * The runs table's secondary indexes exactly as the migrations created them (pg_indexes.indexdef):
 * every index but those behind a constraint (the primary key, which other tables' foreign keys need).
 */
export async function secondaryIndexes(db: pg.Client): Promise<IndexDef[]> {
  const { rows } = await db.query<IndexDef>(
    `SELECT i.indexname AS name, i.indexdef AS def
       FROM pg_indexes i JOIN pg_class c ON c.relname = i.indexname AND c.relnamespace = i.schemaname::text::regnamespace
      WHERE i.schemaname = current_schema() AND i.tablename = 'runs'
        AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = c.oid)
      ORDER BY i.indexname`,
  );
  return rows;
}

/** Memory for each index build (one sort in memory instead of merging runs on disk); the session's own setting. */
export const BUILD_MEMORY = '1GB';

export interface Seeded {
  /** The INSERT … SELECT (runs table with its primary key only). */
  seedMs: number;
  /** Every secondary index built again from its definition. */
  indexMs: number;
  /** Build time per index (ms). */
  indexes: { name: string; ms: number }[];
  vacuumMs: number;
  tableBytes: number;
}

/**
 * A bulk load into the bench's own fresh database: the runs table's secondary indexes are read
 * from pg_indexes and dropped, the rows go in with one INSERT … SELECT (heap and primary key only:
 * no index entry per row), then each index is created again from its own definition with
 * `maintenance_work_mem` raised, and the set is checked to be exactly what it was. Then VACUUM
 * ANALYZE (statistics for the planner, the visibility map for index-only scans), as autovacuum would.
 */
export async function seed(db: pg.Client, s: SeedShape, log: (m: string) => void): Promise<Seeded> {
  const before = await secondaryIndexes(db);
  for (const ix of before) await db.query(`DROP INDEX ${db.escapeIdentifier(ix.name)}`);
  const t0 = performance.now();
  const st = seedStatement(s);
  await db.query(st.text, st.values);
  const seedMs = performance.now() - t0;
  log(`seed: ${s.rows} runs inserted in ${Math.round(seedMs / 1000)} s (indexes dropped); building the ${before.length} indexes again`);
  await db.query(`SET maintenance_work_mem = '${BUILD_MEMORY}'`);
  const indexes: { name: string; ms: number }[] = [];
  const t1 = performance.now();
  for (const ix of before) {
    const t = performance.now();
    await db.query(ix.def);
    indexes.push({ name: ix.name, ms: performance.now() - t });
  }
  const indexMs = performance.now() - t1;
  await db.query('RESET maintenance_work_mem');
  const after = await secondaryIndexes(db);
  if (JSON.stringify(after) !== JSON.stringify(before)) throw new Error(`seed: the rebuilt indexes differ from the migrations': ${JSON.stringify({ before, after })}`);
  log(`seed: indexes built in ${Math.round(indexMs / 1000)} s; VACUUM ANALYZE runs`);
  const t2 = performance.now();
  await db.query('VACUUM ANALYZE runs');
  const { rows } = await db.query<{ bytes: string }>(`SELECT pg_total_relation_size('runs')::text AS bytes`);
  return { seedMs, indexMs, indexes, vacuumMs: performance.now() - t2, tableBytes: Number(rows[0]!.bytes) };
}
