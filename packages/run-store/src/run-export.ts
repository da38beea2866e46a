import { rows, type Queryable } from './sql';

/** Rows read per statement while a run is exported (keyset pages: no statement reads a whole big run). */
const PAGE = 1000;

// One JSON object per line, camelCase like the API. Timestamps as ISO 8601 (UTC).
const iso = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

const RUN_LINE = `jsonb_build_object('type', 'run', 'id', id, 'workflowId', workflow_id, 'workflowVersionId', workflow_version_id,
  'kind', kind, 'parentRunId', parent_run_id, 'status', status, 'triggerType', trigger_type, 'triggerId', trigger_id, 'test', test,
  'inputs', inputs, 'output', output, 'error', error, 'createdAt', ${iso('created_at')}, 'startedAt', ${iso('started_at')},
  'finishedAt', ${iso('finished_at')}, 'dataPurgedAt', ${iso('data_purged_at')})::text AS line`;

const STEP_LINE = `jsonb_build_object('type', 'step', 'id', id, 'nodeId', node_id, 'nodeType', node_type, 'attempt', attempt, 'status', status,
  'input', input, 'output', output, 'error', error, 'handle', handle, 'createdAt', ${iso('created_at')}, 'startedAt', ${iso('started_at')},
  'finishedAt', ${iso('finished_at')})::text AS line, id::text AS cursor`;

const EVENT_LINE = `jsonb_build_object('type', 'event', 'seq', seq, 'eventType', type, 'nodeId', node_id, 'stepId', step_id, 'data', data,
  'createdAt', ${iso('created_at')})::text AS line, seq::text AS cursor`;

const LOG_LINE = `jsonb_build_object('type', 'log', 'id', id, 'ts', ${iso('ts')}, 'level', level, 'msg', msg, 'stepId', step_id, 'nodeId', node_id,
  'data', data)::text AS line, id::text AS cursor`;

interface Section {
  select: string;
  table: string;
  key: string;
  cast: string;
}

const SECTIONS: readonly Section[] = [
  { select: STEP_LINE, table: 'run_steps', key: 'id', cast: 'uuid' },
  { select: EVENT_LINE, table: 'run_events', key: 'seq', cast: 'int' },
  { select: LOG_LINE, table: 'run_logs', key: 'id', cast: 'uuid' },
];

/**
 * A run as JSON Lines: first the run itself (`type: "run"`), then every step attempt (`step`,
 * creation order), every event (`event`, seq order) and every log line (`log`, the order they
 * were said). `orgId`: only that org's run (the API); null for the maintenance role's job.
 * Undefined when there is no such run. Read page by page inside the caller's transaction (pass
 * one for a consistent picture of a run that is still moving).
 */
export async function* runExportLines(q: Queryable, runId: string, orgId: string | null): AsyncGenerator<string, boolean> {
  const [run] = await rows<{ line: string }>(q, `SELECT ${RUN_LINE} FROM runs WHERE id = $1 AND ($2::uuid IS NULL OR org_id = $2)`, [runId, orgId]);
  if (!run) return false;
  yield run.line;
  for (const s of SECTIONS) {
    let cursor: string | null = null;
    for (;;) {
      const page: { line: string; cursor: string }[] = await rows(
        q,
        `SELECT ${s.select} FROM ${s.table} WHERE run_id = $1 AND ($2::${s.cast} IS NULL OR ${s.key} > $2::${s.cast}) ORDER BY ${s.key} LIMIT ${PAGE}`,
        [runId, cursor],
      );
      for (const r of page) yield r.line;
      if (page.length < PAGE) break;
      cursor = page.at(-1)!.cursor;
    }
  }
  return true;
}

/** Every line of `runExportLines` (undefined when there is no such run). */
export async function exportRun(q: Queryable, runId: string, orgId: string | null): Promise<string[] | undefined> {
  const lines: string[] = [];
  const it = runExportLines(q, runId, orgId);
  for (;;) {
    const next = await it.next();
    if (next.done) return next.value ? lines : undefined;
    lines.push(next.value);
  }
}
