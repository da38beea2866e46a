import pg from 'pg';

/** Mean milliseconds per step spent in each phase, from the timestamps Postgres recorded. */
export interface StepPhases {
  /** runs.created_at → first transition (gateway publish, orchestrator pick-up): per run, not per step. */
  runStartMs: number;
  /** Step row inserted (orchestrator transaction start) → claimed by an executor. */
  dispatchMs: number;
  /** Claimed → result written (outputs loaded, processor run). */
  executeMs: number;
  /** Result written → next transition starts (advance-run published, orchestrator pick-up). */
  advanceMs: number;
  steps: number;
}

/**
 * Splits the sequential runs' time into phases. Timestamps are now() of the writing statement
 * or transaction, with millisecond precision: means over many steps are still sub-millisecond
 * meaningful, single values are not.
 */
export async function stepPhases(databaseUrl: string, runIds: readonly string[]): Promise<StepPhases> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<Record<keyof StepPhases, string>>(
      `WITH s AS (
         SELECT st.run_id, st.created_at, st.started_at, st.finished_at, r.created_at AS run_created,
                row_number() OVER w AS k,
                COALESCE(lead(st.created_at) OVER w, r.finished_at) AS next_at
         FROM run_steps st JOIN runs r ON r.id = st.run_id
         WHERE st.run_id = ANY($1::uuid[])
         WINDOW w AS (PARTITION BY st.run_id ORDER BY st.created_at, st.id))
       SELECT avg(extract(epoch FROM created_at - run_created) * 1000) FILTER (WHERE k = 1) AS "runStartMs",
              avg(extract(epoch FROM started_at - created_at) * 1000) AS "dispatchMs",
              avg(extract(epoch FROM finished_at - started_at) * 1000) AS "executeMs",
              avg(extract(epoch FROM next_at - finished_at) * 1000) AS "advanceMs",
              count(*) AS steps
       FROM s`,
      [runIds],
    );
    const r = rows[0]!;
    return {
      runStartMs: Number(r.runStartMs),
      dispatchMs: Number(r.dispatchMs),
      executeMs: Number(r.executeMs),
      advanceMs: Number(r.advanceMs),
      steps: Number(r.steps),
    };
  } finally {
    await client.end();
  }
}
