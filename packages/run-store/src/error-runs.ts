import { newId } from '@weft/db';
import type { PoolClient } from 'pg';
import { rows } from './sql';

/** What decides whether a failed run starts a run of its error workflow. */
export interface ErrorTarget {
  /** The failed run is an error run, or runs below one: its failure starts nothing (no loops). */
  in_error_run: boolean;
  /** The error workflow's latest published version, when it is a workflow of the run's org. */
  version_id: string | null;
  started_at: Date | null;
  now: Date;
}

/**
 * For a failed run (inside its transition): whether it is, or runs below, an error run (its
 * parents up to `maxDepth`), the latest published version of the error workflow in the run's org,
 * and when the run started.
 */
export async function errorRunTarget(c: PoolClient, a: { runId: string; orgId: string; errorWorkflowId: string; maxDepth: number }): Promise<ErrorTarget | undefined> {
  const [target] = await rows<ErrorTarget>(
    c,
    `WITH RECURSIVE chain(id, parent, error_of, d) AS (
       SELECT id, parent_run_id, error_of_run_id, 1 FROM runs WHERE id = $1
       UNION ALL SELECT r.id, r.parent_run_id, r.error_of_run_id, chain.d + 1 FROM runs r JOIN chain ON r.id = chain.parent WHERE chain.d < $4)
     SELECT (SELECT bool_or(error_of IS NOT NULL) FROM chain) AS in_error_run,
       (SELECT v.id FROM workflows w JOIN workflow_versions v ON v.workflow_id = w.id AND v.version = w.latest_version
        WHERE w.id = $2 AND w.org_id = $3) AS version_id,
       (SELECT started_at FROM runs WHERE id = $1) AS started_at, clock_timestamp() AS now`,
    [a.runId, a.errorWorkflowId, a.orgId, a.maxDepth],
  );
  return target;
}

/**
 * Inside the failed run's transition: the error run (queued, `error_of_run_id` = the failed run)
 * and its `run.created` event; returns its id. Its start job goes with the transition's jobs.
 */
export async function insertErrorRun(c: PoolClient, r: { orgId: string; workflowId: string; versionId: string; inputs: unknown; errorOfRunId: string }): Promise<string> {
  const errorRunId = newId();
  await c.query(
    `WITH run AS (
       INSERT INTO runs (id, org_id, workflow_id, workflow_version_id, status, inputs, last_seq, error_of_run_id)
       VALUES ($1, $2, $3, $4, 'queued', $5, 1, $6))
     INSERT INTO run_events (id, org_id, run_id, seq, type, data) VALUES ($7, $2, $1, 1, 'run.created', $8)`,
    [errorRunId, r.orgId, r.workflowId, r.versionId, JSON.stringify(r.inputs), r.errorOfRunId, newId(), JSON.stringify({ workflowVersionId: r.versionId, errorOfRunId: r.errorOfRunId })],
  );
  return errorRunId;
}
