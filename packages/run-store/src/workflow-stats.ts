import type { RunStatus } from '@weft/workflow-schema';
import { ofOrg } from './rules';
import { rows, type Queryable } from './sql';
import { idFloorAt } from './views';

export interface WorkflowRunStats {
  workflowId: string;
  lastRun: { id: string; status: RunStatus; createdAt: string } | null;
  /** One entry per UTC day, oldest first. */
  daily: { day: string; succeeded: number; failed: number; total: number }[];
}

/**
 * What a list of workflows shows per row: each workflow's last top-level run (test runs left
 * out) and its runs per UTC day over the last `days` days. Both read the (org_id, workflow_id, id)
 * index: the last run is its first entry, the days a range of it (ids are UUIDv7: creation order).
 */
export async function workflowRunStats(q: Queryable, orgId: string, workflowIds: string[], days: number, now = new Date()): Promise<WorkflowRunStats[]> {
  const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - (days - 1)));
  const [last, counts] = await Promise.all([
    rows<{ workflow_id: string; id: string; status: RunStatus; created_at: Date }>(
      q,
      `SELECT w.id AS workflow_id, r.id, r.status, r.created_at FROM unnest($2::uuid[]) AS w(id)
       CROSS JOIN LATERAL (SELECT id, status, created_at FROM runs
         WHERE ${ofOrg('', '$1')} AND workflow_id = w.id AND kind = 'run' AND NOT test ORDER BY id DESC LIMIT 1) r`,
      [orgId, workflowIds],
    ),
    rows<{ workflow_id: string; day: string; succeeded: number; failed: number; total: number }>(
      q,
      `SELECT workflow_id, to_char(date_trunc('day', created_at AT TIME ZONE 'UTC'), 'YYYY-MM-DD') AS day,
         count(*) FILTER (WHERE status = 'succeeded')::int AS succeeded, count(*) FILTER (WHERE status = 'failed')::int AS failed, count(*)::int AS total
       FROM runs WHERE ${ofOrg('', '$1')} AND workflow_id = ANY($2::uuid[]) AND id >= $3::uuid AND kind = 'run' AND NOT test
       GROUP BY 1, 2`,
      [orgId, workflowIds, idFloorAt(start.toISOString())],
    ),
  ]);
  const dayKeys = Array.from({ length: days }, (_, i) => new Date(start.getTime() + i * 86_400_000).toISOString().slice(0, 10));
  return workflowIds.map((workflowId) => {
    const l = last.find((r) => r.workflow_id === workflowId);
    const mine = counts.filter((c) => c.workflow_id === workflowId);
    return {
      workflowId,
      lastRun: l ? { id: l.id, status: l.status, createdAt: l.created_at.toISOString() } : null,
      daily: dayKeys.map((day) => {
        const c = mine.find((m) => m.day === day);
        return { day, succeeded: c?.succeeded ?? 0, failed: c?.failed ?? 0, total: c?.total ?? 0 };
      }),
    };
  });
}
