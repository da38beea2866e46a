import { ofOrg } from './rules';
import { rows, type Queryable } from './sql';
import { idRange, type TimeRange } from './views';

export interface RunUsageCounts {
  runs: number;
  testRuns: number;
  steps: number;
  stepMs: number;
}

/**
 * What the org ran in a time range, counted from the runs themselves: top-level runs (and test
 * runs among them) created in the range, and the step attempts of every run created in it (their
 * for_each iterations too) that ran and ended, with their time from start to end (a step still
 * running or waiting for an approval is not counted yet; an approval's wait counts once decided). The range is an id range on
 * the (org_id, id) index (run ids are UUIDv7); steps are read by run through (run_id, id). It reads
 * each run of the range once: a month of a busy org is the metered usage's job (GET /v1/usage).
 */
export async function runUsage(q: Queryable, orgId: string, range: TimeRange): Promise<RunUsageCounts> {
  const ids = idRange(range);
  const [row] = await rows<{ runs: string; test_runs: string; steps: string; step_ms: string | null }>(
    q,
    `SELECT count(*) FILTER (WHERE r.kind = 'run') AS runs,
            count(*) FILTER (WHERE r.kind = 'run' AND r.test) AS test_runs,
            COALESCE(sum(s.steps), 0) AS steps,
            COALESCE(sum(s.ms), 0) AS step_ms
     FROM runs r
     CROSS JOIN LATERAL (
       SELECT count(*) AS steps, sum(EXTRACT(EPOCH FROM st.finished_at - st.started_at) * 1000) AS ms
       FROM run_steps st WHERE st.run_id = r.id AND st.started_at IS NOT NULL AND st.finished_at IS NOT NULL) s
     WHERE ${ofOrg('r', '$1')} AND ($2::uuid IS NULL OR r.id >= $2::uuid) AND ($3::uuid IS NULL OR r.id < $3::uuid)`,
    [orgId, ids.gte ?? null, ids.lt ?? null],
  );
  return { runs: Number(row!.runs), testRuns: Number(row!.test_runs), steps: Number(row!.steps), stepMs: Math.round(Number(row!.step_ms ?? 0)) };
}

/**
 * SQL of a secret's newest use (`last_used`), for the secrets at alias `s`: its newest
 * `secret.used` audit entry (one probe of the partial index audit_logs_secret_used_idx) with the
 * run's workflow, as one JSON object (null when never used).
 */
export const secretLastUseSql = (s: string) => `(SELECT jsonb_build_object('at', a.created_at, 'version', (a.data->>'version')::int, 'runId', a.data->>'runId', 'workflowId', r.workflow_id, 'workflowName', w.name)
     FROM audit_logs a
     LEFT JOIN runs r ON r.id = (a.data->>'runId')::uuid AND r.org_id = a.org_id
     LEFT JOIN workflows w ON w.id = r.workflow_id AND w.org_id = a.org_id
    WHERE a.org_id = ${s}.org_id AND a.action = 'secret.used' AND a.target_id = ${s}.id::text
    ORDER BY a.id DESC LIMIT 1)`;
