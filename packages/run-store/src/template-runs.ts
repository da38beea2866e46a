import type { Queryable } from './sql';

/** Runs of the workflows installed from one template, across every org, by outcome. */
export interface InstalledRunCounts {
  templateId: string;
  runs: number;
  succeeded: number;
  failed: number;
}

/**
 * How the installed copies of each template run (the creator's analytics): every run of a workflow
 * an installation made, counted per template, across orgs. Only counts leave this function: no
 * run, org or input is named.
 */
export async function installedRunCounts(q: Queryable, templateIds: string[]): Promise<InstalledRunCounts[]> {
  if (!templateIds.length) return [];
  const r = await q.query<{ template_id: string; runs: number; succeeded: number; failed: number }>(
    `SELECT i.template_id, count(r.id)::int AS runs,
            count(r.id) FILTER (WHERE r.status = 'succeeded')::int AS succeeded,
            count(r.id) FILTER (WHERE r.status = 'failed')::int AS failed
     FROM installations i JOIN runs r ON r.workflow_id = i.workflow_id AND r.org_id = i.org_id
     WHERE i.template_id = ANY($1::uuid[]) GROUP BY i.template_id`,
    [templateIds],
  );
  return r.rows.map((row) => ({ templateId: row.template_id, runs: row.runs, succeeded: row.succeeded, failed: row.failed }));
}
