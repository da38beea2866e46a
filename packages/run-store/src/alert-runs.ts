import { rows, type Queryable } from './sql';

/**
 * The reads of runs that alerts make (packages/alerts): runs of a workflow, not for_each
 * iterations or test runs, that succeeded or failed. Newest first by id (UUIDv7: start order),
 * on the (org_id, workflow_id, id) index.
 */
const COUNTED = `org_id = $1 AND workflow_id = $2 AND kind = 'run' AND NOT test`;

export interface AlertRun {
  id: string;
  orgId: string;
  workflowId: string;
  status: string;
  error: unknown;
}

/** The run an evaluation is about (any org: alert workers act on ids). */
export async function runForAlerts(q: Queryable, runId: string): Promise<AlertRun | undefined> {
  const [r] = await rows<AlertRun>(q, `SELECT id, org_id AS "orgId", workflow_id AS "workflowId", status, error FROM runs WHERE id = $1`, [runId]);
  return r;
}

/** The latest `limit` finished runs of a workflow (started at `since` or later, when given), newest first. */
export async function finishedRunsForAlerts(q: Queryable, orgId: string, workflowId: string, limit: number, since?: Date): Promise<{ id: string; status: 'succeeded' | 'failed'; createdAt: Date }[]> {
  return rows(
    q,
    `SELECT id, status, created_at AS "createdAt" FROM runs
     WHERE ${COUNTED} AND status IN ('succeeded', 'failed') AND ($4::timestamptz IS NULL OR created_at >= $4)
     ORDER BY id DESC LIMIT $3`,
    [orgId, workflowId, limit, since ?? null],
  );
}

/** Failed runs of a workflow from `firstRunId` on (an incident's count), up to `cap`. */
export async function failedRunsSince(q: Queryable, orgId: string, workflowId: string, firstRunId: string, cap = 100_000): Promise<number> {
  const [r] = await rows<{ n: number }>(
    q,
    `SELECT count(*)::int AS n FROM (SELECT 1 FROM runs WHERE ${COUNTED} AND status = 'failed' AND id >= $3 LIMIT $4) f`,
    [orgId, workflowId, firstRunId, cap],
  );
  return r?.n ?? 0;
}

/**
 * The first failed run of the unbroken streak of failures that `runId` belongs to (no succeeded
 * run between them): where an incident's count starts. A run that started earlier but failed after
 * the incident opened joins its streak the next time it is evaluated.
 */
export async function failureStreakStart(q: Queryable, orgId: string, workflowId: string, runId: string): Promise<string> {
  const [r] = await rows<{ id: string }>(
    q,
    `SELECT id FROM runs
     WHERE ${COUNTED} AND status = 'failed' AND id <= $3
       AND id > COALESCE((SELECT id FROM runs WHERE ${COUNTED} AND status = 'succeeded' AND id < $3 ORDER BY id DESC LIMIT 1), '00000000-0000-0000-0000-000000000000'::uuid)
     ORDER BY id LIMIT 1`,
    [orgId, workflowId, runId],
  );
  return r?.id ?? runId;
}
