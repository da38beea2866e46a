import type { Queryable } from '../sql';

/** A waiting step whose timer is due (a delay's end, an approval's timeout). */
export interface DueTimerRow {
  id: string;
  node_id: string;
  node_type: string;
  attempt: number;
}

/**
 * Under the run lock: the run's waiting steps of the given types (those that park: delay,
 * approval) whose timer is due, locked so they are fired exactly once.
 */
export async function lockDueTimers(q: Queryable, runId: string, parkingTypes: readonly string[]): Promise<DueTimerRow[]> {
  const { rows } = await q.query<DueTimerRow>({
    name: 'weft_orch_due_timers',
    text: `SELECT id, node_id, node_type, attempt FROM run_steps
           WHERE run_id = $1 AND status = 'waiting' AND node_type = ANY($2::text[]) AND available_at <= now()
           FOR UPDATE`,
    values: [runId, parkingTypes],
  });
  return rows;
}
