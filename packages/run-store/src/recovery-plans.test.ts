import type { PoolClient } from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import { seedRun, seedStep, useSeededDatabase } from '../test/seed';
import { dueWakeUps, failLostSteps, idleRunCandidates, requeueLostSteps, staleQueuedSteps, timeOutSteps } from './recovery';

/**
 * The sweeper and the reconciler run their queries every few hundred milliseconds on every
 * orchestrator, against tables that keep every run ever made. Each must find the few live rows
 * through an index, never by reading the ended ones: checked on the plans Postgres chooses with
 * 20,000 ended runs (and their steps) and a handful of live ones.
 */
const t = useSeededDatabase();
const ENDED = 20_000;
const MIN_UUID = '00000000-0000-0000-0000-000000000000';

beforeAll(async () => {
  const model = await seedRun(t.pool, t.wf, 'succeeded');
  await seedStep(t.pool, t.wf, model, 'work', 'succeeded', { applied: 'true' });
  // Ended runs, old and quiet, each with one applied step: what a production database is made of.
  // Every column but the generated ones (runs.error_text), which Postgres computes itself.
  const { cols } = (
    await t.pool.query<{ cols: string }>(
      `SELECT string_agg(quote_ident(column_name), ', ' ORDER BY ordinal_position) AS cols FROM information_schema.columns
        WHERE table_schema = 'public' AND table_name = 'runs' AND is_generated = 'NEVER'`,
    )
  ).rows[0]!;
  await t.pool.query(
    `INSERT INTO runs (${cols}) SELECT ${cols} FROM (
       SELECT (jsonb_populate_record(r, jsonb_build_object('id', gen_random_uuid(), 'idempotency_key', null, 'updated_at', now() - interval '1 day'))).*
       FROM runs r, generate_series(1, $2) WHERE r.id = $1) copied`,
    [model, ENDED],
  );
  await t.pool.query(
    `INSERT INTO run_steps SELECT (jsonb_populate_record(s, jsonb_build_object('id', gen_random_uuid(), 'run_id', r.id))).*
     FROM run_steps s, runs r WHERE s.run_id = $1 AND r.id <> $1`,
    [model],
  );
  const live = await seedRun(t.pool, t.wf, 'running');
  await seedStep(t.pool, t.wf, live, 'work', 'running', {});
  await t.pool.query('ANALYZE runs; ANALYZE run_steps');
}, 120_000);

/** Every statement `fn` sends, with its parameters (answered with no rows). */
async function statementsOf(fn: (c: PoolClient) => Promise<unknown>): Promise<{ text: string; values: unknown[] }[]> {
  const seen: { text: string; values: unknown[] }[] = [];
  const recorder = { query: async (text: string, values: unknown[] = []) => (seen.push({ text, values }), { rows: [], rowCount: 0 }) };
  await fn(recorder as unknown as PoolClient);
  return seen;
}

/**
 * What the statement reads when it runs (EXPLAIN ANALYZE inside a rolled-back transaction): the
 * rows of runs and run_steps its scans visited (kept or removed by a filter), and the plan.
 */
async function rowsVisited(text: string, values: unknown[]): Promise<{ visited: number; plan: string[] }> {
  const c = await t.pool.connect();
  try {
    await c.query('BEGIN');
    const { rows } = await c.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(`EXPLAIN (ANALYZE, FORMAT JSON) ${text}`, values);
    let visited = 0;
    const plan: string[] = [];
    const walk = (n: PlanNode) => {
      const relation = n['Relation Name'];
      plan.push(relation ? `${n['Node Type']} on ${relation}${n['Index Name'] ? ` (${n['Index Name']})` : ''}` : n['Node Type']);
      if (relation === 'runs' || relation === 'run_steps') visited += ((n['Actual Rows'] ?? 0) + (n['Rows Removed by Filter'] ?? 0)) * (n['Actual Loops'] ?? 1);
      for (const child of n.Plans ?? []) walk(child);
    };
    walk(rows[0]!['QUERY PLAN'][0].Plan);
    return { visited, plan };
  } finally {
    await c.query('ROLLBACK');
    c.release();
  }
}

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Actual Rows'?: number;
  'Actual Loops'?: number;
  'Rows Removed by Filter'?: number;
  Plans?: PlanNode[];
}

const window = { graceMs: 1000, limit: 100, maxLosses: 3 };
const page = { idleMs: 5000, limit: 100, after: MIN_UUID };

describe('the recovery queries on a database of ended runs', () => {
  it.each([
    ['dueWakeUps', (c: PoolClient) => dueWakeUps(c, window)],
    ['timeOutSteps', (c: PoolClient) => timeOutSteps(c, window)],
    ['requeueLostSteps', (c: PoolClient) => requeueLostSteps(c, window)],
    ['failLostSteps', (c: PoolClient) => failLostSteps(c, window)],
    ['idleRunCandidates', (c: PoolClient) => idleRunCandidates(c, page)],
    ['staleQueuedSteps', (c: PoolClient) => staleQueuedSteps(c, page)],
  ])('%s finds the live rows through an index, without visiting the ended ones', async (_name, fn) => {
    const statements = await statementsOf(fn);
    expect(statements.length).toBeGreaterThan(0);
    for (const st of statements) {
      const { visited, plan } = await rowsVisited(st.text, st.values);
      expect(visited, `${st.text}\n${plan.join(' > ')}`).toBeLessThan(100);
    }
  });
});
