import type pg from 'pg';

/**
 * What must hold for every run whatever crashed, as a list of violations (empty when all hold):
 * - its events are numbered 1..last_seq with no gap and no duplicate, and last_seq is the last one;
 * - no transition was applied twice: each step.succeeded / step.failed event per (node, attempt)
 *   appears once, and each (node, attempt) has at most one step row;
 * - no outbox row is left behind.
 */
export async function historyViolations(pool: pg.Pool, runIds: string[]): Promise<string[]> {
  const problems: string[] = [];
  const gaps = await pool.query<{ run_id: string; n: number; min: number; max: number; distinct_seq: number; last_seq: number }>(
    `SELECT e.run_id, count(*)::int AS n, min(e.seq) AS min, max(e.seq) AS max, count(DISTINCT e.seq)::int AS distinct_seq, r.last_seq
     FROM run_events e JOIN runs r ON r.id = e.run_id
     WHERE e.run_id = ANY($1::uuid[])
     GROUP BY e.run_id, r.last_seq
     HAVING min(e.seq) <> 1 OR max(e.seq) <> count(*) OR count(DISTINCT e.seq) <> count(*) OR max(e.seq) <> r.last_seq`,
    [runIds],
  );
  for (const g of gaps.rows) problems.push(`run ${g.run_id}: events seq ${g.min}..${g.max}, ${g.n} rows, ${g.distinct_seq} distinct, last_seq ${g.last_seq}`);

  const twice = await pool.query<{ run_id: string; type: string; node_id: string; attempt: string; n: number }>(
    `SELECT run_id, type, node_id, data->>'attempt' AS attempt, count(*)::int AS n FROM run_events
     WHERE run_id = ANY($1::uuid[]) AND type IN ('step.succeeded', 'step.failed', 'step.dispatched')
     GROUP BY run_id, type, node_id, data->>'attempt' HAVING count(*) > 1`,
    [runIds],
  );
  for (const t of twice.rows) problems.push(`run ${t.run_id}: ${t.type} ${t.node_id} attempt ${t.attempt} recorded ${t.n} times`);

  const rows = await pool.query<{ run_id: string; node_id: string; attempt: number; n: number }>(
    `SELECT run_id, node_id, attempt, count(*)::int AS n FROM run_steps WHERE run_id = ANY($1::uuid[])
     GROUP BY run_id, node_id, attempt HAVING count(*) > 1`,
    [runIds],
  );
  for (const r of rows.rows) problems.push(`run ${r.run_id}: ${r.n} step rows for ${r.node_id} attempt ${r.attempt}`);

  const missing = await pool.query<{ id: string }>(`SELECT id FROM unnest($1::uuid[]) AS x(id) WHERE NOT EXISTS (SELECT 1 FROM runs WHERE runs.id = x.id)`, [runIds]);
  for (const m of missing.rows) problems.push(`run ${m.id} is missing`);
  return problems;
}

/** Outbox rows still waiting (a relay that works leaves none once everything settled). */
export async function outboxLeft(pool: pg.Pool): Promise<number> {
  const { rows } = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM outbox');
  return rows[0]!.n;
}

/** Attempts (step rows) per run of one node, and how they ended. */
export async function attemptsOf(pool: pg.Pool, runId: string, nodeId: string) {
  const { rows } = await pool.query<{ id: string; attempt: number; status: string; error: { code?: string } | null; fence: number }>(
    `SELECT id, attempt, status, error, fence FROM run_steps WHERE run_id = $1 AND node_id = $2 ORDER BY attempt`,
    [runId, nodeId],
  );
  return rows;
}
