import { typesWith } from '@weft/workflow-schema';
import type { Queryable } from '../sql';
import { cancelChildRuns } from './children';

/** Node types whose steps start runs (sub_workflow, for_each): cancelling such a step cancels its runs. */
const STARTS_RUNS: readonly string[] = [...typesWith('startsRuns')];

/** What cancelling nodes of a run did: its steps cancelled (to abort in executors) and the child runs whose cancel was requested (to wake). */
export interface CancelledNodes {
  steps: { id: string; node_type: string }[];
  cancelRequested: string[];
}

/**
 * Under the run lock: cancels the active steps of these nodes of the run (the engine cancelled
 * them) and the child runs of those that start runs. Children first, then the steps: a parent
 * takes its child runs' rows before its own step rows, as a child that ends holds its own row
 * and then settles its parent's sub_workflow step. The other order (the step, then the child)
 * deadlocked with a child ending while its parent was cancelled (`cancel-order.test.ts`).
 */
export async function cancelNodesOfRun(q: Queryable, runId: string, nodeIds: readonly string[]): Promise<CancelledNodes> {
  const { rows: starting } = await q.query<{ id: string }>(
    `SELECT id FROM run_steps WHERE run_id = $1 AND node_id = ANY($2::text[]) AND node_type = ANY($3::text[]) AND status IN ('pending', 'queued', 'running', 'waiting')`,
    [runId, nodeIds, STARTS_RUNS],
  );
  const cancelRequested = await cancelChildRuns(q, starting.map((r) => r.id));
  const { rows: steps } = await q.query<{ id: string; node_type: string }>(
    `UPDATE run_steps SET status = 'cancelled', finished_at = clock_timestamp(), applied = true, lease_expires_at = NULL
     WHERE run_id = $1 AND node_id = ANY($2::text[]) AND status IN ('pending', 'queued', 'running', 'waiting')
     RETURNING id, node_type`,
    [runId, nodeIds],
  );
  return { steps, cancelRequested };
}

/** A finished run runs again (retry): its end time, output and error are cleared. */
export async function reopenRun(q: Queryable, runId: string): Promise<void> {
  await q.query('UPDATE runs SET finished_at = NULL, output = NULL, error = NULL WHERE id = $1', [runId]);
}

/** A retry request that changed nothing (the run was not failed or cancelled) is dropped. */
export async function clearRetryRequest(q: Queryable, runId: string): Promise<void> {
  await q.query('UPDATE runs SET retry_request = NULL WHERE id = $1', [runId]);
}
