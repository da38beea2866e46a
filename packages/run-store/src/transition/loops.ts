import type { Queryable } from '../sql';
import { RUN_COLUMNS, type StoredRun } from './read-run';

/** A running for_each step of the run, with its item counters as counted now. */
export interface RunningLoopRow {
  id: string;
  node_id: string;
  attempt: number;
  items_total: number;
  items_started: number;
  items_done: number;
  items_failed: number;
}

/**
 * Under the run lock: the run's running loop steps (of the given types), locked while the
 * transition moves them on, with their items counted from the iteration runs: started = total −
 * pending, done = total − not ended (pending or active), failed = failed or cancelled (ranges of
 * the (parent_step_id, status) index; pending and active counted by one scan). Counted from the
 * runs, not incremented: an iteration that ends in an executor starts its loop's next pending one
 * in its own write (`successorOf`), and that write must not touch the loop step's row (the parent
 * holds it while it cancels the loop's iterations: an iteration waiting for it while holding its
 * own row would deadlock with it). The counters are stored on the step when they changed (what the
 * API shows of a loop; the transition reads them from here, not back from the row). Nobody but
 * the parent writes the loop step's row: an iteration's end only writes runs of its loop.
 */
const RUNNING_LOOPS = `WITH l AS (
     SELECT id, node_id, attempt, items_total, items_started, items_done, items_failed FROM run_steps
     WHERE run_id = $1 AND node_type = ANY($2::text[]) AND status = 'running' FOR UPDATE),
   c AS (
     SELECT l.id, l.node_id, l.attempt, l.items_total, l.items_total - a.pending AS started, l.items_total - a.n AS done, f.n AS failed,
       l.items_started AS started_before, l.items_done AS done_before, l.items_failed AS failed_before
     FROM l,
       LATERAL (SELECT count(*)::int AS n, (count(*) FILTER (WHERE status = 'pending'))::int AS pending
         FROM runs WHERE parent_step_id = l.id AND status IN ('pending', 'queued', 'running', 'waiting')) a,
       LATERAL (SELECT count(*)::int AS n FROM runs WHERE parent_step_id = l.id AND status IN ('failed', 'cancelled')) f),
   u AS (
     UPDATE run_steps s SET items_started = c.started, items_done = c.done, items_failed = c.failed FROM c
     WHERE s.id = c.id AND (c.started <> c.started_before OR c.done <> c.done_before OR c.failed <> c.failed_before))
   SELECT id, node_id, attempt, items_total, started AS items_started, done AS items_done, failed AS items_failed FROM c`;

export async function lockRunningLoops(q: Queryable, runId: string, loopTypes: readonly string[]): Promise<RunningLoopRow[]> {
  const { rows } = await q.query<RunningLoopRow>({ name: 'weft_orch_running_loops', text: RUNNING_LOOPS, values: [runId, loopTypes] });
  return rows;
}

/** The first item (in item order) whose iteration run failed or was cancelled. */
export async function firstFailedItem(q: Queryable, stepId: string): Promise<{ id: string; item_index: number; status: string; error: { message?: string } | null } | undefined> {
  const { rows } = await q.query<{ id: string; item_index: number; status: string; error: { message?: string } | null }>(
    `SELECT id, item_index, error, status FROM runs WHERE parent_step_id = $1 AND status IN ('failed', 'cancelled') ORDER BY item_index LIMIT 1`,
    [stepId],
  );
  return rows[0];
}

/**
 * The size of a loop's output (its items' outputs as one JSON array), measured in Postgres before
 * aggregating: jsonb_agg itself refuses past 256 MB, and a transaction that always fails would retry forever.
 */
export async function loopOutputBytes(q: Queryable, stepId: string): Promise<number> {
  const { rows } = await q.query<{ bytes: string }>(
    `SELECT coalesce(sum(octet_length(coalesce(output, 'null'::jsonb)::text) + 1), 0)::bigint AS bytes FROM runs WHERE parent_step_id = $1`,
    [stepId],
  );
  return Number(rows[0]?.bytes ?? 0) + 1;
}

/** A finished loop's output: its items' outputs in item order. */
export async function loopOutput(q: Queryable, stepId: string): Promise<unknown[]> {
  const { rows } = await q.query<{ output: unknown[] }>(
    `SELECT coalesce(jsonb_agg(coalesce(output, 'null'::jsonb) ORDER BY item_index), '[]'::jsonb) AS output FROM runs WHERE parent_step_id = $1`,
    [stepId],
  );
  return rows[0]?.output ?? [];
}

/**
 * One `pending` iteration run per item, all inserted by ONE statement from the items array (10,000
 * items = one INSERT … SELECT, no per-item round trip), on behalf of the parent's creator; the step's row comes with the transition's write.
 */
export async function insertIterations(
  q: Queryable,
  parent: { orgId: string; workflowId: string; workflowVersionId: string; runId: string },
  loop: { stepId: string; bodyPath: string; itemsJson: string },
): Promise<void> {
  await q.query(
    `INSERT INTO runs (id, org_id, workflow_id, workflow_version_id, status, inputs, parent_run_id, parent_step_id, kind, item_index, body_path, created_by, trace_parent)
     SELECT weft_uuidv7(), $1, $2, $3, 'pending', jsonb_build_object('item', e.value, 'index', e.ord - 1), $4, $5, 'iteration', e.ord - 1, $6, p.created_by, p.trace_parent
     FROM (SELECT created_by, trace_parent FROM runs WHERE id = $4) p, jsonb_array_elements($7::jsonb) WITH ORDINALITY AS e(value, ord)`,
    [parent.orgId, parent.workflowId, parent.workflowVersionId, parent.runId, loop.stepId, loop.bodyPath, loop.itemsJson],
  );
}

/**
 * Starts (`queued`) pending iterations of a loop step, in item order, up to `concurrency` active
 * ones, and counts them on the step (`items_started`: those the parent started, for operators); the runs started, as a transition reads
 * them (their rows locked by this transaction: the caller writes their first transition).
 */
// The pick is a MATERIALIZED CTE, evaluated once: as a sub-select of the UPDATE, a plan may run it
// once per row (it does under row-level security's org condition), and each run picks again, past
// the limit: 12 iterations started for a concurrency of 8.
const START_ITERATIONS = `WITH pick AS MATERIALIZED (
     SELECT id FROM runs WHERE parent_step_id = $1 AND status = 'pending' ORDER BY item_index
     LIMIT greatest(0, $2::int - (SELECT count(*) FROM runs WHERE parent_step_id = $1 AND status IN ('queued', 'running', 'waiting')))
     FOR UPDATE SKIP LOCKED),
   started AS (
     UPDATE runs SET status = 'queued', updated_at = now() WHERE id IN (SELECT id FROM pick)
     RETURNING ${RUN_COLUMNS}),
   counted AS (UPDATE run_steps SET items_started = items_started + (SELECT count(*) FROM started) WHERE id = $1 AND EXISTS (SELECT 1 FROM started))
   SELECT * FROM started`;

export async function startPendingIterations(q: Queryable, stepId: string, concurrency: number): Promise<StoredRun[]> {
  const { rows } = await q.query<StoredRun>({ name: 'weft_orch_start_iterations', text: START_ITERATIONS, values: [stepId, concurrency] });
  return rows;
}

/**
 * How many times over the loops around a run make it run: the product of the item counts of every
 * loop step above it (through sub_workflow steps too), 1 for a run that no loop started.
 */
export async function enclosingIterations(q: Queryable, runId: string, loopTypes: readonly string[]): Promise<number> {
  const { rows } = await q.query<{ factor: number | null }>(
    `WITH RECURSIVE up(step_id, factor, d) AS (
       SELECT parent_step_id, 1::float8, 0 FROM runs WHERE id = $1
       UNION ALL
       SELECT r.parent_step_id, up.factor * CASE WHEN s.node_type = ANY($2::text[]) THEN greatest(s.items_total, 1) ELSE 1 END, up.d + 1
       FROM up JOIN run_steps s ON s.id = up.step_id JOIN runs r ON r.id = s.run_id
       WHERE up.d < 64)
     SELECT max(factor) AS factor FROM up`,
    [runId, loopTypes],
  );
  return rows[0]?.factor ?? 1;
}

/** Iteration runs a run's loops started so far (every for_each, every attempt). */
export async function iterationsStarted(q: Queryable, runId: string): Promise<number> {
  const { rows } = await q.query<{ n: number }>(`SELECT count(*)::int AS n FROM runs WHERE parent_run_id = $1 AND kind = 'iteration'`, [runId]);
  return rows[0]?.n ?? 0;
}
