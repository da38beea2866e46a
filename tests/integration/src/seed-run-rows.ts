import { newId } from '@weft/db';
import pg from 'pg';

export interface SeededRows {
  /** Ids of the step rows added, in the order the API pages them (id order). */
  stepIds: string[];
  /** Seqs of the events added. */
  seqs: number[];
}

/**
 * Adds `steps` succeeded step rows (nodes `filler_00001`…, attempt 1, already applied, so that the
 * orchestrator never folds them in) and `events` run events after the run's last seq, straight in
 * SQL: a run with thousands of steps without executing thousands of steps.
 */
export async function seedRunRows(databaseUrl: string, runId: string, counts: { steps?: number; events?: number }): Promise<SeededRows> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ org_id: string; last_seq: number }>('SELECT org_id, last_seq FROM runs WHERE id = $1', [runId]);
    if (!rows[0]) throw new Error(`run ${runId} not found`);
    const { org_id: orgId, last_seq: lastSeq } = rows[0];
    const stepIds = Array.from({ length: counts.steps ?? 0 }, () => newId());
    const nodeIds = stepIds.map((_, i) => `filler_${String(i + 1).padStart(5, '0')}`);
    await client.query(
      `INSERT INTO run_steps (id, org_id, run_id, node_id, node_type, attempt, status, applied, output, started_at, finished_at)
       SELECT s.id, $1, $2, s.node_id, 'transform', 1, 'succeeded', true, to_jsonb(s.node_id), now(), now()
       FROM unnest($3::uuid[], $4::text[]) AS s(id, node_id)`,
      [orgId, runId, stepIds, nodeIds],
    );
    const seqs = Array.from({ length: counts.events ?? 0 }, (_, i) => lastSeq + i + 1);
    await client.query(
      `INSERT INTO run_events (id, org_id, run_id, seq, type, data)
       SELECT s.id, $1, $2, s.seq, 'test.filler', jsonb_build_object('n', s.seq)
       FROM unnest($3::uuid[], $4::int[]) AS s(id, seq)`,
      [orgId, runId, seqs.map(() => newId()), seqs],
    );
    if (seqs.length) await client.query('UPDATE runs SET last_seq = $2 WHERE id = $1', [runId, seqs[seqs.length - 1]]);
    return { stepIds, seqs };
  } finally {
    await client.end();
  }
}

/** Sets a run's W3C traceparent, as a run started with tracing on has (browser tests of the trace link, whose backend traces nothing). */
export async function setRunTraceparent(databaseUrl: string, runId: string, traceparent: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('UPDATE runs SET trace_parent = $2 WHERE id = $1', [runId, traceparent]);
    if (rowCount !== 1) throw new Error(`run ${runId} not found`);
  } finally {
    await client.end();
  }
}
