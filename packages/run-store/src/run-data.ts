import type { Pool, PoolClient } from 'pg';
import { rows } from './sql';

/** The latest successful output of every node of a run, keyed by node id. */
export async function loadOutputs(c: PoolClient | Pool, runId: string): Promise<Record<string, unknown>> {
  const list = await rows<{ node_id: string; output: unknown }>(
    c,
    `SELECT DISTINCT ON (node_id) node_id, output FROM run_steps
     WHERE run_id = $1 AND status = 'succeeded' ORDER BY node_id, attempt DESC`,
    [runId],
  );
  return Object.fromEntries(list.map((r) => [r.node_id, r.output]));
}
