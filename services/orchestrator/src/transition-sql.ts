import { outboxInsertSql, stepInsertSql } from '@weft/run-store';
import type { RunState } from '@weft/engine';
import type { EventLog } from './event-log';

/*
 * The statements of a transition: the run read (plain, or with FOR UPDATE appended), its one
 * final write, and the parameters they take.
 */

export const READ_RUN = `SELECT id, org_id, workflow_id, workflow_version_id, status, state, last_seq, inputs, cancel_requested_at,
       retry_request, deadline_at, parent_step_id, kind, body_path
  FROM runs WHERE id = $1`;

export const WRITE_TRANSITION = `WITH run AS (
       UPDATE runs SET state = $2, last_seq = $3, status = $4, updated_at = now(), retry_request = NULL,
         started_at = COALESCE(started_at, now()),
         finished_at = CASE WHEN $33::boolean THEN clock_timestamp() ELSE finished_at END,
         output = CASE WHEN $33::boolean THEN $34::jsonb ELSE output END,
         error = CASE WHEN $33::boolean THEN $35::jsonb ELSE error END,
         deadline_at = CASE WHEN $5::int IS NOT NULL THEN now() + make_interval(secs => $5::int / 1000.0) ELSE deadline_at END
       WHERE id = $1 AND ($36::int IS NULL OR (state IS NULL AND last_seq = $36::int))
       RETURNING id),
     ev AS (
       INSERT INTO run_events (id, org_id, run_id, seq, type, node_id, step_id, data)
       SELECT e.id, $6::uuid, $1::uuid, e.seq, e.type, e.node_id, e.step_id, e.data
       FROM unnest($7::uuid[], $8::int[], $9::text[], $10::text[], $11::uuid[], $12::jsonb[]) AS e(id, seq, type, node_id, step_id, data)
       WHERE EXISTS (SELECT 1 FROM run)),
     ob AS (${outboxInsertSql('$6', 13, 'EXISTS (SELECT 1 FROM run)')}),
     st AS (${stepInsertSql('$6', '$1', 18, 'EXISTS (SELECT 1 FROM run)')})
   SELECT EXISTS (SELECT 1 FROM run) AS applied, ARRAY(SELECT id FROM ob) AS outbox_ids`;

export const TOUCH_RUN = `WITH run AS (UPDATE runs SET updated_at = now() WHERE id = $1), ob AS (${outboxInsertSql('$2', 3)}) SELECT id FROM ob`;

export const jsonOrNull = (v: unknown) => (v === null || v === undefined ? null : JSON.stringify(v));

export function eventArrays(log: EventLog): unknown[][] {
  const cols: unknown[][] = [[], [], [], [], [], []];
  for (const e of log.rows) {
    cols[0]!.push(e.id);
    cols[1]!.push(e.seq);
    cols[2]!.push(e.type);
    cols[3]!.push(e.nodeId);
    cols[4]!.push(e.stepId);
    cols[5]!.push(JSON.stringify(e.data));
  }
  return cols;
}

/** The API status: `waiting` when only waiting steps (delay, approval, children) are left. */
export function runStatus(state: RunState): string {
  if (state.status !== 'running') return state.status;
  const nodes = Object.values(state.nodes);
  const busy = nodes.some((n) => n.status === 'queued' || n.status === 'running');
  return !busy && nodes.some((n) => n.status === 'waiting') ? 'waiting' : 'running';
}
