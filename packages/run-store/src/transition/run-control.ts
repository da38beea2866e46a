import type { Queryable } from '../sql';

/** Cancels the active steps of these nodes of a run (the engine cancelled them); their ids and types (to abort in executors, to cancel their child runs). */
export async function cancelStepsOfNodes(q: Queryable, runId: string, nodeIds: readonly string[]): Promise<{ id: string; node_type: string }[]> {
  const { rows } = await q.query<{ id: string; node_type: string }>(
    `UPDATE run_steps SET status = 'cancelled', finished_at = clock_timestamp(), applied = true, lease_expires_at = NULL
     WHERE run_id = $1 AND node_id = ANY($2::text[]) AND status IN ('pending', 'queued', 'running', 'waiting')
     RETURNING id, node_type`,
    [runId, nodeIds],
  );
  return rows;
}

/** A finished run runs again (retry): its end time, output and error are cleared. */
export async function reopenRun(q: Queryable, runId: string): Promise<void> {
  await q.query('UPDATE runs SET finished_at = NULL, output = NULL, error = NULL WHERE id = $1', [runId]);
}

/** A retry request that changed nothing (the run was not failed or cancelled) is dropped. */
export async function clearRetryRequest(q: Queryable, runId: string): Promise<void> {
  await q.query('UPDATE runs SET retry_request = NULL WHERE id = $1', [runId]);
}
