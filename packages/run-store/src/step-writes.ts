import type { Queryable } from './sql';

/** One run_steps row as written by a transition (the run's org and id are given once). */
export interface StepRow {
  id: string;
  nodeId: string;
  nodeType: string;
  attempt: number;
  status: string;
  applied: boolean;
  availableAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  timeoutMs: number | null;
  /** JSON text (or null) of input, output and error. */
  input: string | null;
  output: string | null;
  error: string | null;
  handle: string | null;
  itemsTotal: number;
}

/**
 * SQL inserting step rows from fifteen column arrays starting at `$first` (`stepParams`), for the
 * org and run given as parameter references (such as `$1`, `$2`). Column arrays unnested by ONE
 * statement whatever the number of rows: a 10,000-wide fan-out is one round trip, and the 65,535
 * bind-parameter limit of a VALUES list (17 per row) is out of the way.
 */
const stepInsertSql = (org: string, run: string, first: number) => {
  const p = (i: number) => `$${first + i}`;
  return `INSERT INTO run_steps (id, org_id, run_id, node_id, node_type, attempt, status, applied, available_at,
       started_at, finished_at, timeout_ms, input, output, error, handle, items_total)
     SELECT s.id, ${org}::uuid, ${run}::uuid, s.node_id, s.node_type, s.attempt, s.status, s.applied, s.available_at,
       s.started_at, s.finished_at, s.timeout_ms, s.input, s.output, s.error, s.handle, s.items_total
     FROM unnest(${p(0)}::uuid[], ${p(1)}::text[], ${p(2)}::text[], ${p(3)}::int[], ${p(4)}::text[], ${p(5)}::boolean[], ${p(6)}::timestamptz[],
       ${p(7)}::timestamptz[], ${p(8)}::timestamptz[], ${p(9)}::int[], ${p(10)}::jsonb[], ${p(11)}::jsonb[], ${p(12)}::jsonb[], ${p(13)}::text[], ${p(14)}::int[])
       AS s(id, node_id, node_type, attempt, status, applied, available_at, started_at, finished_at, timeout_ms, input, output, error, handle, items_total)`;
};

/** The fifteen column arrays of `stepInsertSql`. */
export function stepParams(steps: readonly StepRow[]): unknown[][] {
  const col = <K extends keyof StepRow>(k: K) => steps.map((s) => s[k]);
  return [
    col('id'), col('nodeId'), col('nodeType'), col('attempt'), col('status'), col('applied'), col('availableAt'),
    col('startedAt'), col('finishedAt'), col('timeoutMs'), col('input'), col('output'), col('error'), col('handle'), col('itemsTotal'),
  ];
}

/** The text never changes, so it is a named (prepared once per connection) statement. */
const INSERT_STEPS = stepInsertSql('$1', '$2', 3);

/** Inserts a run's step rows, any number of them, in one statement. */
export async function insertStepRows(q: Queryable, run: { orgId: string; runId: string }, steps: readonly StepRow[]): Promise<void> {
  if (steps.length === 0) return;
  await q.query({ name: 'weft_insert_step_rows', text: INSERT_STEPS, values: [run.orgId, run.runId, ...stepParams(steps)] });
}
