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
  /** true: only test runs (drafts run from the studio); false: none of them; undefined: both. */
  test?: boolean | undefined;
  /** Id bounds (UUIDv7: creation time, and the cursor): `gte` inclusive, `lt` exclusive. */
  id: { gte?: string | undefined; lt?: string | undefined };
  /** How many of the newest errored runs step 1 reads (SEARCH_WINDOW; smaller in tests). */
  window?: number | undefined;
}

/** How many of the newest errored runs the first step reads (an index-only scan of the keyset index). */
export const SEARCH_WINDOW = 1_000;

/** `%text%` for ILIKE, with the pattern characters of `text` taken literally. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, '\\$&')}%`;
}

interface Statement {
  text: string;
  values: unknown[];
}

/** WHERE clauses of the search (org, top-level, has an error, filters, id range), numbered after `values`. */
function whereOf(orgId: string, s: RunSearch, withText: boolean): { where: string[]; values: unknown[] } {
  const values: unknown[] = [orgId];
  const where = ['org_id = $1::uuid', "kind = 'run'", 'error_text IS NOT NULL'];
  const add = (sql: string, v: unknown) => {
    values.push(v);
    where.push(sql.replace('?', `$${values.length}`));
  };
  if (withText) add('error_text ILIKE ?', containsPattern(s.q));
  if (s.id.gte) add('id >= ?::uuid', s.id.gte);
  if (s.id.lt) add('id < ?::uuid', s.id.lt);
  return { where, values };
}

function filtersOf(s: RunSearch, values: unknown[]): string[] {
  const out: string[] = [];
  const add = (sql: string, v: unknown) => {
    values.push(v);
    out.push(sql.replace('?', `$${values.length}`));
  };
  if (s.workflowId) add('workflow_id = ?::uuid', s.workflowId);
  if (s.status) add('status = ?', s.status);
  if (s.triggerType) add('trigger_type = ?', s.triggerType);
  if (s.test !== undefined) add('test = ?', s.test);
  return out;
}

/**
 * The id of the errored run just past the newest `window` of the org in the range (the keyset
 * index (org_id, id) INCLUDE (error_text, …): an index-only scan of `window` entries), or none.
 */
export function windowFloorSql(orgId: string, s: RunSearch): Statement {
  const { where, values } = whereOf(orgId, s, false);
  values.push(s.window ?? SEARCH_WINDOW);
  return { text: `SELECT id FROM runs WHERE ${where.join(' AND ')} ORDER BY id DESC OFFSET $${values.length} LIMIT 1`, values };
}

/**
 * Step 1: the text among the newest errored runs (id >= floor), newest first, by the keyset index
 * only: `error_text || ''` is not the trigram index's expression, so Postgres walks (org_id, id)
 * backward and stops at the limit (a common text) or at the floor (a rare one).
 */
export function recentSearchSql(orgId: string, s: RunSearch, floor: string | undefined): Statement {
  const { where, values } = whereOf(orgId, { ...s, id: { ...s.id, ...(floor ? { gte: floor } : {}) } }, false);
  values.push(containsPattern(s.q));
  where.push(`(error_text || '') ILIKE $${values.length}`, ...filtersOf(s, values));
  values.push(s.limit);
  return { text: `SELECT id FROM runs WHERE ${where.join(' AND ')} ORDER BY id DESC LIMIT $${values.length}`, values };
}

/** Step 2 (and the whole search, for EXPLAIN): the trigram GIN over the range, newest first. */
export function searchRunIdsSql(orgId: string, s: RunSearch): Statement {
  const { where, values } = whereOf(orgId, s, true);
  where.push(...filtersOf(s, values));
  values.push(s.limit);
  return { text: `SELECT id FROM runs WHERE ${where.join(' AND ')} ORDER BY id DESC LIMIT $${values.length}`, values };
}

/** How many trigram matches step 2 reads through `weft_error_text_matches` before it walks instead. */
export const SEARCH_MATCH_CAP = 1_000;

/**
 * Step 2 under row-level security: every match of the text in the range, by the trigram GIN, through
 * the SECURITY DEFINER function of migration 20261214006000 (as `weft_app` the policy keeps ILIKE out
 * of the GIN's index conditions). The function reads the org from `weft.org_id` only, like the
 * policy; `scoped` says the connection acts for this org (false with WEFT_RLS=off or as maintenance:
 * then the function answered nothing and step 2 is `searchRunIdsSql`). At most cap + 1 ids, in no order.
 */
export function olderMatchesSql(orgId: string, s: RunSearch, cap = SEARCH_MATCH_CAP): Statement {
  return {
    text: `SELECT coalesce(weft_current_org() = $1::uuid, false) AS scoped, ARRAY(SELECT weft_error_text_matches($2, $3::uuid, $4::uuid, $5)) AS ids`,
    values: [orgId, containsPattern(s.q), s.id.gte ?? null, s.id.lt ?? null, cap + 1],
  };
}

/** The newest of `ids` (matches of the text) that pass the search's filters, under the policy as usual (primary key). */
export function filterMatchesSql(orgId: string, s: RunSearch, ids: string[]): Statement {
  const { where, values } = whereOf(orgId, s, true);
  values.push(ids);
  where.push(`id = ANY($${values.length}::uuid[])`, ...filtersOf(s, values));
  values.push(s.limit);
  return { text: `SELECT id FROM runs WHERE ${where.join(' AND ')} ORDER BY id DESC LIMIT $${values.length}`, values };
}

/**
 * Step 2: the older rest of the range. Acting for the org under row-level security, the trigram GIN
 * gives every match (few: the text was rare among the newest runs), then they are filtered and the
 * newest kept. When there are more than SEARCH_MATCH_CAP matches (the function's answer is then not
 * all of them), or the connection does not act for the org, it is today's statement: the keyset walk
 * under the policy, the planner's choice otherwise.
 */
async function searchOlder(db: Db, orgId: string, s: RunSearch): Promise<string[]> {
  const m = olderMatchesSql(orgId, s);
  const found = (await rows<{ scoped: boolean; ids: string[] }>(db.pool, m.text, m.values))[0];
  if (found?.scoped && found.ids.length === 0) return [];
  const st = found?.scoped && found.ids.length <= SEARCH_MATCH_CAP ? filterMatchesSql(orgId, s, found.ids) : searchRunIdsSql(orgId, s);
  return (await rows<{ id: string }>(db.pool, st.text, st.values)).map((r) => r.id);
}

/**
 * The ids of the org's top-level runs whose error message contains `q`, newest first, at most
 * `limit`. `runs.error_text` (a generated column) is in two partial indexes of the runs that have
 * one (migration 20261212000500). A common text is found among the newest errored runs (step 1,
 * bounded); only when they hold fewer than `limit` matches does the trigram GIN search the older
 * rest of the range (step 2, `searchOlder`), where the text is then rare enough for its matches to be read.
 */
export async function searchRunIds(db: Db, orgId: string, s: RunSearch): Promise<string[]> {
  const floorSt = windowFloorSql(orgId, s);
  const floor = (await rows<{ id: string }>(db.pool, floorSt.text, floorSt.values))[0]?.id;
  const recent = recentSearchSql(orgId, s, floor);
  const ids = (await rows<{ id: string }>(db.pool, recent.text, recent.values)).map((r) => r.id);
  if (ids.length >= s.limit || !floor) return ids;
  return [...ids, ...(await searchOlder(db, orgId, { ...s, limit: s.limit - ids.length, id: { ...s.id, lt: floor } }))];
}
