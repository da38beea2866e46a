import { outboxInsertSql } from '@weft/run-store';
import type { RunState } from '@weft/engine';
import type { EventRow } from './event-log';

/*
 * The statements of a transition: the run read (plain, or with FOR UPDATE appended), its one
 * final write, and the parameters they take.
 */

const RUN_COLUMNS = `id, org_id, workflow_id, workflow_version_id, status, state, last_seq, inputs, cancel_requested_at,
       retry_request, deadline_at, parent_step_id, kind, body_path`;

export const READ_RUN = `SELECT ${RUN_COLUMNS} FROM runs WHERE id = $1`;

/**
 * Runs read without their lock (unlocked transitions), each with the settled steps the engine has
 * not seen, oldest first and without outputs: what the locked transition's settled-steps query finds
 * (not looked for in an unstarted run, which has no steps).
 */
export const READ_RUNS = `SELECT ${RUN_COLUMNS},
       CASE WHEN r.state IS NOT NULL THEN (SELECT json_agg(s ORDER BY s.finished_at, s.id) FROM (
          SELECT id, node_id, node_type, attempt, status, error, handle, finished_at FROM run_steps
          WHERE run_id = r.id AND applied = false AND status IN ('succeeded', 'failed')) s) END AS settled
  FROM runs r WHERE r.id = ANY($1::uuid[])`;

export const TOUCH_RUN = `WITH run AS (UPDATE runs SET updated_at = now() WHERE id = $1), ob AS (${outboxInsertSql('$2', 3)}) SELECT id FROM ob`;

export const jsonOrNull = (v: unknown) => (v === null || v === undefined ? null : JSON.stringify(v));

export function eventArrays(events: readonly EventRow[]): unknown[][] {
  const cols: unknown[][] = [[], [], [], [], [], []];
  for (const e of events) {
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

/**
 * The final write of one or more transitions in ONE statement: each run's new state, its events,
 * its new step rows and the outbox rows of its jobs. Per-run columns ($1–$9), then events, outbox
 * rows and step rows, each with the run id of its row ($10, $17, $23), then the settled steps it
 * applied that are still to be marked so ($39). A run with a `guard` (an unlocked transition) is
 * written only if still at the sequence read and without a retry request: every change of a
 * run's state records events, so an unchanged sequence means an unchanged run. Rows of a run
 * not written are neither inserted nor updated (the joins on `run`).
 */
export const WRITE_TRANSITIONS = `WITH input AS (
       SELECT * FROM unnest($1::uuid[], $2::jsonb[], $3::int[], $4::text[], $5::int[], $6::boolean[], $7::jsonb[], $8::jsonb[], $9::int[])
         AS i(id, state, last_seq, status, timeout_ms, done, output, error, guard)),
     run AS (
       UPDATE runs r SET state = i.state, last_seq = i.last_seq, status = i.status, updated_at = now(), retry_request = NULL,
         started_at = COALESCE(r.started_at, now()),
         finished_at = CASE WHEN i.done THEN clock_timestamp() ELSE r.finished_at END,
         output = CASE WHEN i.done THEN i.output ELSE r.output END,
         error = CASE WHEN i.done THEN i.error ELSE r.error END,
         deadline_at = CASE WHEN i.timeout_ms IS NOT NULL THEN now() + make_interval(secs => i.timeout_ms / 1000.0) ELSE r.deadline_at END
       FROM input i
       WHERE r.id = i.id AND (i.guard IS NULL OR (r.last_seq = i.guard AND r.retry_request IS NULL))
       RETURNING r.id, r.org_id),
     ev AS (
       INSERT INTO run_events (id, org_id, run_id, seq, type, node_id, step_id, data)
       SELECT e.id, run.org_id, e.run_id, e.seq, e.type, e.node_id, e.step_id, e.data
       FROM unnest($10::uuid[], $11::uuid[], $12::int[], $13::text[], $14::text[], $15::uuid[], $16::jsonb[]) AS e(run_id, id, seq, type, node_id, step_id, data)
       JOIN run ON run.id = e.run_id),
     ob AS (
       INSERT INTO outbox (org_id, queue, job_name, job_id, payload, delay_ms)
       SELECT run.org_id, j.queue, j.job_name, j.job_id, j.payload, j.delay_ms
       FROM unnest($17::uuid[], $18::text[], $19::text[], $20::text[], $21::jsonb[], $22::int[]) AS j(run_id, queue, job_name, job_id, payload, delay_ms)
       JOIN run ON run.id = j.run_id
       RETURNING id, job_id),
     st AS (
       INSERT INTO run_steps (id, org_id, run_id, node_id, node_type, attempt, status, applied, available_at,
         started_at, finished_at, timeout_ms, input, output, error, handle, items_total)
       SELECT s.id, run.org_id, s.run_id, s.node_id, s.node_type, s.attempt, s.status, s.applied, s.available_at,
         s.started_at, s.finished_at, s.timeout_ms, s.input, s.output, s.error, s.handle, s.items_total
       FROM unnest($23::uuid[], $24::uuid[], $25::text[], $26::text[], $27::int[], $28::text[], $29::boolean[], $30::timestamptz[],
         $31::timestamptz[], $32::timestamptz[], $33::int[], $34::jsonb[], $35::jsonb[], $36::jsonb[], $37::text[], $38::int[])
         AS s(run_id, id, node_id, node_type, attempt, status, applied, available_at, started_at, finished_at, timeout_ms, input, output, error, handle, items_total)
       JOIN run ON run.id = s.run_id),
     ap AS (
       UPDATE run_steps s SET applied = true
       FROM unnest($39::uuid[], $40::uuid[]) AS a(run_id, id) JOIN run ON run.id = a.run_id
       WHERE s.run_id = a.run_id AND s.id = a.id AND s.applied = false)
   SELECT ARRAY(SELECT id FROM run) AS applied, ARRAY(SELECT id FROM ob) AS outbox_ids, ARRAY(SELECT job_id FROM ob) AS outbox_jobs`;
