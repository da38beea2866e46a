import { newId } from '@weft/db';
import { createTestDatabase } from '@weft/testing';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';

/** For one test file: a fresh migrated database and a pool on it (as the owner: no org scope). */
export function useDatabase(): { pool: pg.Pool } {
  const t = {} as { pool: pg.Pool };
  let drop: () => Promise<void> = async () => undefined;
  beforeAll(async () => {
    const db = await createTestDatabase();
    t.pool = new pg.Pool({ connectionString: db.url, max: 4 });
    drop = async () => (await t.pool.end(), await db.drop());
  });
  afterAll(() => drop());
  return t;
}

export interface SeededOrg {
  orgId: string;
  workflowId: string;
  versionId: string;
}

/** An org (on `plan`) with one workflow and its version 1. */
export async function seedOrg(pool: pg.Pool, plan = 'default', stripeCustomerId: string | null = null): Promise<SeededOrg> {
  const orgId = newId();
  const workflowId = newId();
  const versionId = newId();
  await pool.query(`INSERT INTO orgs (id, slug, name, plan_id, stripe_customer_id) VALUES ($1, $2, $2, $3, $4)`, [orgId, `org-${orgId}`, plan, stripeCustomerId]);
  await pool.query(`INSERT INTO workflows (id, org_id, name, draft, latest_version) VALUES ($1, $2, 'flow', '{}', 1)`, [workflowId, orgId]);
  await pool.query(`INSERT INTO workflow_versions (id, org_id, workflow_id, version, definition) VALUES ($1, $2, $3, 1, '{}')`, [versionId, orgId, workflowId]);
  return { orgId, workflowId, versionId };
}

/**
 * A run created at `at` (its `run` usage row with it, as the run statements write it), with
 * executor step attempts: each a `step_ms` row (and any extra usage) at `at`. `parentRunId`: an
 * iteration run of that run.
 */
export async function seedRun(
  pool: pg.Pool,
  o: SeededOrg,
  at: Date,
  steps: { nodeType: string; ms: number; extra?: { kind: string; quantity: number }[] }[],
  opts: { status?: string; parentRunId?: string } = {},
): Promise<string> {
  const runId = newId();
  const iteration = !!opts.parentRunId;
  await pool.query(
    `INSERT INTO runs (id, org_id, workflow_id, workflow_version_id, status, inputs, created_at, finished_at, kind, parent_run_id)
     VALUES ($1, $2, $3, $4, $5, '{}', $6, CASE WHEN $5 IN ('succeeded', 'failed', 'cancelled') THEN $6::timestamptz + interval '1 second' END, $7, $8)`,
    [runId, o.orgId, o.workflowId, o.versionId, opts.status ?? 'succeeded', at, iteration ? 'iteration' : 'run', opts.parentRunId ?? null],
  );
  const usage = (kind: string, quantity: number, data: unknown) =>
    pool.query(`INSERT INTO usage_events (id, org_id, run_id, workflow_id, kind, quantity, data, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, [
      newId(), o.orgId, runId, o.workflowId, kind, quantity, data === null ? null : JSON.stringify(data), at,
    ]);
  if (!iteration) await usage('run', 1, null);
  for (const s of steps) {
    await usage('step_ms', s.ms, { nodeType: s.nodeType, attempt: 1 });
    for (const e of s.extra ?? []) await usage(e.kind, e.quantity, { nodeType: s.nodeType });
  }
  return runId;
}

export const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000);
