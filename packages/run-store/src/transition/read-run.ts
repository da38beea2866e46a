import { typesWith } from '@weft/workflow-schema';
import type { Queryable } from '../sql';

/**
 * A run as its transition reads it. `state` is the JSON text of the engine state (or null before
 * the run started): each attempt at deciding parses its own copy, which it may change in place.
 */
export interface StoredRun {
  id: string;
  org_id: string;
  workflow_id: string;
  workflow_version_id: string;
  status: string;
  state: string | null;
  last_seq: number;
  inputs: unknown;
  cancel_requested_at: Date | null;
  retry_request: { fromNodeId?: string | null } | null;
  deadline_at: Date | null;
  parent_step_id: string | null;
  /** The run whose step started this one (sub_workflow, for_each), woken when this run ends. */
  parent_run_id: string | null;
  kind: 'run' | 'iteration';
  body_path: string | null;
  /** Who started the run (`user:<id>`, `api_key:<id>`); child and iteration runs carry their parent's. */
  created_by: string | null;
  /** A test run's pinned outputs (`{ nodeId: output }`); absent where a statement does not read it. */
  pinned_outputs?: Record<string, unknown> | null;
  /** What started the run (api, manual, webhook, schedule, sub_workflow, retry); null for iterations. */
  trigger_type: string | null;
  created_at: Date;
  /** The W3C traceparent its work joins (null when tracing was off at its start); absent where a statement does not read it. */
  trace_parent?: string | null;
}

/** A step row that ended and that the engine has not been given yet (without its output: outputs are read apart). */
export interface SettledStep {
  id: string;
  node_id: string;
  node_type: string;
  attempt: number;
  status: 'succeeded' | 'failed';
  error: { code: string; message: string; retryable: boolean; details?: Record<string, unknown> } | null;
  handle: string | null;
  /** A resolved approval: who decided (`resolution.keyId` of its input: a key id, `user:<id>` or `link:<recipient>`). */
  decided_by?: string | null;
}

/** Node types a person resumes (the catalog's `resumable` trait), as an SQL list of constants. */
const RESUMABLE_SQL = [...typesWith('resumable')].map((t) => `'${t}'`).join(', ');

/** Who decided an approval step (read from its input for resumable steps only: other inputs are not detoasted). */
const DECIDED_BY = `CASE WHEN node_type IN (${RESUMABLE_SQL}) AND status = 'succeeded' THEN input->'resolution'->>'keyId' END AS decided_by`;

/** The columns of a `StoredRun` (unqualified: select them from `runs` alone). */
export const RUN_COLUMNS = `id, org_id, workflow_id, workflow_version_id, status, state::text AS state, last_seq, inputs, cancel_requested_at,
       retry_request, deadline_at, parent_step_id, parent_run_id, kind, body_path, created_by, pinned_outputs, trigger_type, created_at, trace_parent`;

/** Reads the run and takes its row lock (inside the caller's transaction): transitions of one run go one at a time. */
export async function lockRun(q: Queryable, runId: string): Promise<StoredRun | undefined> {
  const { rows } = await q.query<StoredRun>({ name: 'weft_orch_lock_run', text: `SELECT ${RUN_COLUMNS} FROM runs WHERE id = $1 FOR UPDATE`, values: [runId] });
  return rows[0];
}

/** The settled steps of the run `runIdSql` the engine has not been given, oldest first, as one JSON array (or null). */
export const settledStepsOf = (runIdSql: string) => `(SELECT json_agg(s ORDER BY s.finished_at, s.id) FROM (
          SELECT id, node_id, node_type, attempt, status, error, handle, ${DECIDED_BY}, finished_at FROM run_steps
          WHERE run_id = ${runIdSql} AND applied = false AND status IN ('succeeded', 'failed')) s)`;

/**
 * Runs read without their lock (unlocked transitions), each with the settled steps the engine has
 * not seen, oldest first: what `takeSettledSteps` finds under the lock (not looked for in an
 * unstarted run, which has no steps). One statement for a whole batch of runs.
 */
const READ_RUNS = `SELECT ${RUN_COLUMNS},
       CASE WHEN r.state IS NOT NULL THEN ${settledStepsOf('r.id')} END AS settled
  FROM runs r WHERE r.id = ANY($1::uuid[])`;

export async function readRunsForTransition(q: Queryable, runIds: readonly string[]): Promise<(StoredRun & { settled: SettledStep[] | null })[]> {
  const { rows } = await q.query<StoredRun & { settled: SettledStep[] | null }>({ name: 'weft_orch_read_runs', text: READ_RUNS, values: [runIds] });
  return rows;
}

/**
 * Under the run lock: the steps that ended (executor, resume, children, sweeper) and the engine has
 * not been given, oldest first, marked applied in the same statement. A step an executor settles
 * after this is left to the job the executor sends after it.
 */
const TAKE_SETTLED = `WITH s AS (
     UPDATE run_steps SET applied = true
     WHERE run_id = $1 AND applied = false AND status IN ('succeeded', 'failed')
     RETURNING id, node_id, node_type, attempt, status, error, handle, ${DECIDED_BY}, finished_at)
   SELECT id, node_id, node_type, attempt, status, error, handle, decided_by FROM s ORDER BY finished_at, id`;

export async function takeSettledSteps(q: Queryable, runId: string): Promise<SettledStep[]> {
  const { rows } = await q.query<SettledStep>({ name: 'weft_orch_settled', text: TAKE_SETTLED, values: [runId] });
  return rows;
}
