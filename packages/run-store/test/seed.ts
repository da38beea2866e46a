import { newId } from '@weft/db';
import { createTestDatabase, type TestDatabase } from '@weft/testing';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';

/** A fresh migrated database of its own for one test file, with a pool on it. */
export async function freshDatabase(): Promise<{ db: TestDatabase; pool: pg.Pool; close(): Promise<void> }> {
  const db = await createTestDatabase();
  const pool = new pg.Pool({ connectionString: db.url, max: 4 });
  return { db, pool, close: async () => (await pool.end(), await db.drop()) };
}

/** For one test file: a fresh database (`t.pool`) with an org and its workflow (`t.wf`), dropped after the file. */
export function useSeededDatabase(nodes?: Record<string, string>): { pool: pg.Pool; wf: Workflow } {
  const t = {} as { pool: pg.Pool; wf: Workflow };
  let close: () => Promise<void> = async () => undefined;
  beforeAll(async () => {
    ({ pool: t.pool, close } = await freshDatabase());
    t.wf = await seedWorkflow(t.pool, nodes);
  });
  afterAll(() => close());
  return t;
}

/** An org with one workflow whose version 1 has `nodes` (id → type). */
export async function seedWorkflow(pool: pg.Pool, nodes: Record<string, string> = { start: 'trigger', work: 'function' }) {
  const orgId = newId();
  const workflowId = newId();
  const versionId = newId();
  const definition = { nodes: Object.entries(nodes).map(([id, type]) => ({ id, type, config: {} })), edges: [] };
  await pool.query('INSERT INTO orgs (id, slug, name) VALUES ($1, $2, $2)', [orgId, `org-${orgId}`]);
  await pool.query(`INSERT INTO workflows (id, org_id, name, draft, latest_version) VALUES ($1, $2, 'wf', '{}', 1)`, [workflowId, orgId]);
  await pool.query('INSERT INTO workflow_versions (id, org_id, workflow_id, version, definition) VALUES ($1, $2, $3, 1, $4)', [versionId, orgId, workflowId, definition]);
  return { orgId, workflowId, versionId };
}

export type Workflow = Awaited<ReturnType<typeof seedWorkflow>>;

/** A run of the workflow in `status`, with optional other columns. */
export async function seedRun(pool: pg.Pool, wf: Workflow, status: string, extra: { createdAt?: Date; retryRequest?: unknown } = {}): Promise<string> {
  const id = newId();
  await pool.query(
    `INSERT INTO runs (id, org_id, workflow_id, workflow_version_id, status, inputs, created_at, retry_request)
     VALUES ($1, $2, $3, $4, $5, '{"in":1}', COALESCE($6, now()), $7)`,
    [id, wf.orgId, wf.workflowId, wf.versionId, status, extra.createdAt ?? null, extra.retryRequest === undefined ? null : JSON.stringify(extra.retryRequest)],
  );
  return id;
}

/** A step of the run: `status`, and raw SQL expressions for other columns (fence, lease_expires_at…). */
export async function seedStep(pool: pg.Pool, wf: Workflow, runId: string, nodeId: string, status: string, columns: Record<string, string> = {}): Promise<string> {
  const id = newId();
  const all = { attempt: '1', ...columns };
  const names = Object.keys(all);
  await pool.query(
    `INSERT INTO run_steps (id, org_id, run_id, node_id, node_type, status${names.map((n) => `, ${n}`).join('')})
     VALUES ($1, $2, $3, $4, $5, $6${names.map((n) => `, ${all[n as keyof typeof all]}`).join('')})`,
    [id, wf.orgId, runId, nodeId, nodeId === 'approve' ? 'wait_for_approval' : 'function', status],
  );
  return id;
}

/** One step row, as stored. */
export async function stepRow(pool: pg.Pool, id: string) {
  const { rows: [row] } = await pool.query('SELECT *, lease_expires_at > now() AS leased FROM run_steps WHERE id = $1', [id]);
  return row as { status: string; fence: number; losses: number; output: unknown; error: { code: string } | null; lease_expires_at: Date | null; leased: boolean | null; started_at: Date | null };
}

/** The job ids in the outbox, in insertion order. */
export async function outboxJobIds(pool: pg.Pool): Promise<string[]> {
  return (await pool.query<{ job_id: string }>('SELECT job_id FROM outbox ORDER BY id')).rows.map((r) => r.job_id);
}
