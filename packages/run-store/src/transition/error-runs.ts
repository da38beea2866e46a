import type { Queryable } from '../sql';
import { meterRunsFrom } from '../usage';

/**
 * Where the error run of a failed run would go: whether the run is an error run or runs below one
 * (then its failure starts nothing), the error workflow's latest published version when it is a
 * workflow of the run's org, and when the failed run started.
 */
export async function errorWorkflowTarget(
  q: Queryable,
  run: { id: string; orgId: string },
  errorWorkflowId: string,
  maxDepth: number,
): Promise<{ inErrorRun: boolean; versionId: string | null; startedAt: string | null }> {
  const { rows } = await q.query<{ in_error_run: boolean | null; version_id: string | null; started_at: Date | null }>(
    `WITH RECURSIVE chain(id, parent, error_of, d) AS (
       SELECT id, parent_run_id, error_of_run_id, 1 FROM runs WHERE id = $1
       UNION ALL SELECT r.id, r.parent_run_id, r.error_of_run_id, chain.d + 1 FROM runs r JOIN chain ON r.id = chain.parent WHERE chain.d < $4)
     SELECT (SELECT bool_or(error_of IS NOT NULL) FROM chain) AS in_error_run,
       (SELECT v.id FROM workflows w JOIN workflow_versions v ON v.workflow_id = w.id AND v.version = w.latest_version
        WHERE w.id = $2 AND w.org_id = $3) AS version_id,
       (SELECT started_at FROM runs WHERE id = $1) AS started_at`,
    [run.id, errorWorkflowId, run.orgId, maxDepth],
  );
  const row = rows[0];
  return { inErrorRun: !!row?.in_error_run, versionId: row?.version_id ?? null, startedAt: row?.started_at?.toISOString() ?? null };
}

/** A run of an error workflow (same org, `queued`, linked to the run that failed) and its run.created event, in one statement. */
export async function insertErrorRun(
  q: Queryable,
  r: { id: string; orgId: string; workflowId: string; workflowVersionId: string; inputsJson: string; errorOfRunId: string; createdEventId: string },
): Promise<void> {
  await q.query(
    `WITH run AS (
       INSERT INTO runs (id, org_id, workflow_id, workflow_version_id, status, inputs, last_seq, error_of_run_id, trace_parent)
       VALUES ($1, $2, $3, $4, 'queued', $5, 1, $6, (SELECT trace_parent FROM runs WHERE id = $6)) RETURNING id, org_id, workflow_id),
     metered AS (${meterRunsFrom('run')})
     INSERT INTO run_events (id, org_id, run_id, seq, type, data) VALUES ($7, $2, $1, 1, 'run.created', $8)`,
    [r.id, r.orgId, r.workflowId, r.workflowVersionId, r.inputsJson, r.errorOfRunId, r.createdEventId, JSON.stringify({ workflowVersionId: r.workflowVersionId, errorOfRunId: r.errorOfRunId })],
  );
}
