import type { Db } from '@weft/db';
import type { RunStatus, TriggerType } from '@weft/workflow-schema';
import { rows } from './sql';

/** The filters of a run list page that searches error messages. */
export interface RunSearch {
  /** The text searched (case-insensitive substring of the error message). */
  q: string;
  limit: number;
  workflowId?: string | undefined;
  status?: RunStatus | undefined;
  triggerType?: TriggerType | undefined;
  /** Id bounds (UUIDv7: creation time, and the cursor): `gte` inclusive, `lt` exclusive. */
  id: { gte?: string; lt?: string };
}

/** `%text%` for ILIKE, with the pattern characters of `text` taken literally. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, '\\$&')}%`;
}

/**
 * The ids of the org's top-level runs whose error message contains `q`, newest first, at most
 * `limit`. `runs.error_text` (a generated column) is in two partial indexes of the runs that have
 * one (migration 20261212000500): a trigram GIN led by org_id, for a rare text, and (org_id, id)
 * carrying the text and the filter columns, for a common one (an index-only scan newest first that
 * stops at the limit). Postgres picks by the text's estimated selectivity.
 */
export async function searchRunIds(db: Db, orgId: string, s: RunSearch): Promise<string[]> {
  const { text, values } = searchRunIdsSql(orgId, s);
  return (await rows<{ id: string }>(db.pool, text, values)).map((r) => r.id);
}

/** The statement of searchRunIds (the bench EXPLAINs it). */
export function searchRunIdsSql(orgId: string, s: RunSearch): { text: string; values: unknown[] } {
  const values: unknown[] = [orgId, containsPattern(s.q)];
  const where = ['org_id = $1::uuid', "kind = 'run'", 'error_text IS NOT NULL', 'error_text ILIKE $2'];
  const add = (sql: string, v: unknown) => {
    values.push(v);
    where.push(sql.replace('?', `$${values.length}`));
  };
  if (s.workflowId) add('workflow_id = ?::uuid', s.workflowId);
  if (s.status) add('status = ?', s.status);
  if (s.triggerType) add('trigger_type = ?', s.triggerType);
  if (s.id.gte) add('id >= ?::uuid', s.id.gte);
  if (s.id.lt) add('id < ?::uuid', s.id.lt);
  values.push(s.limit);
  return { text: `SELECT id FROM runs WHERE ${where.join(' AND ')} ORDER BY id DESC LIMIT $${values.length}`, values };
}
