import { idRange, olderMatchesSql, recentSearchSql, searchRunIdsSql, windowFloorSql, type RunSearch } from '@weft/run-store';
import type { RunStatus, TriggerType } from '@weft/workflow-schema';

/** One dashboard list query: the GET /v1/runs query string it sends (limit 50, as the runs page). */
export interface ListQuery {
  workflowId?: string;
  status?: RunStatus;
  triggerType?: TriggerType;
  since?: string;
  until?: string;
  q?: string;
  cursor?: string;
}

export interface NamedQuery {
  name: string;
  query: ListQuery;
  /** Page 2+: the cursor is read from the previous page(s) before measuring. */
  pages?: number;
}

export const PAGE = 50;
const ago = (now: number, days: number) => new Date(now - days * 86_400_000).toISOString();

/** Every filter of the dashboard's runs page alone, combined, searched, and paged. */
export function dashboardQueries(workflows: { hot: string; cold: string }, now: number): NamedQuery[] {
  return [
    { name: 'no filter (newest 50)', query: {} },
    { name: 'status=failed', query: { status: 'failed' } },
    { name: 'status=waiting (0.2 %)', query: { status: 'waiting' } },
    { name: 'triggerType=webhook', query: { triggerType: 'webhook' } },
    { name: 'triggerType=api (60 %)', query: { triggerType: 'api' } },
    { name: 'time: last 24 h', query: { since: ago(now, 1) } },
    { name: 'time: one day 30 days ago', query: { since: ago(now, 31), until: ago(now, 30) } },
    { name: 'workflow (hot)', query: { workflowId: workflows.hot } },
    { name: 'workflow (cold)', query: { workflowId: workflows.cold } },
    { name: 'q="timed out" (20 % of errors)', query: { q: 'timed out' } },
    { name: 'q="ECONNREFUSED" (10 % of errors)', query: { q: 'ECONNREFUSED' } },
    { name: 'q="duplicate invoice" (0.1 % of errors)', query: { q: 'duplicate invoice' } },
    { name: 'q="cus_4242" (a customer id)', query: { q: 'cus_4242' } },
    { name: 'workflow (hot) + failed + last 7 d', query: { workflowId: workflows.hot, status: 'failed', since: ago(now, 7) } },
    { name: 'workflow (cold) + cancelled + webhook', query: { workflowId: workflows.cold, status: 'cancelled', triggerType: 'webhook' } },
    { name: 'workflow (cold) + waiting', query: { workflowId: workflows.cold, status: 'waiting' } },
    { name: 'schedule + failed + q="503" + last 30 d', query: { triggerType: 'schedule', status: 'failed', q: '503', since: ago(now, 30) } },
    { name: 'no filter, page 3 (cursor)', query: {}, pages: 3 },
    { name: 'status=failed, page 3 (cursor)', query: { status: 'failed' }, pages: 3 },
    { name: 'q="timed out", page 3 (cursor)', query: { q: 'timed out' }, pages: 3 },
  ];
}

export function queryString(q: ListQuery): string {
  const p = new URLSearchParams({ limit: String(PAGE) });
  for (const [k, v] of Object.entries(q)) if (v !== undefined) p.set(k, v);
  return `?${p}`;
}

/** The search of a page with `q`, as run-store's searchRunIds runs it. */
export const searchOf = (q: ListQuery & { q: string }): RunSearch => ({ q: q.q, limit: PAGE + 1, workflowId: q.workflowId, status: q.status, triggerType: q.triggerType, id: idRange(q, q.cursor) });

/**
 * The statements behind a page, for EXPLAIN: run-store's search steps when `q` is set (the window
 * floor, the newest runs, then the trigram search of the older rest when step 1 found too few: the
 * SECURITY DEFINER function's matches (EXPLAIN shows its time, not its inner plan), and today's
 * statement, which step 2 falls back to past SEARCH_MATCH_CAP matches; the rows then come by primary key), else what Prisma sends for runPage's findMany (same WHERE, ORDER
 * BY and LIMIT; Prisma names the columns instead of *).
 */
export function statementsOf(orgId: string, q: ListQuery, floor?: string): { text: string; values: unknown[] }[] {
  if (q.q) {
    const s = searchOf({ ...q, q: q.q });
    return [windowFloorSql(orgId, s), recentSearchSql(orgId, s, floor), ...(floor ? [olderMatchesSql(orgId, { ...s, id: { ...s.id, lt: floor } }), searchRunIdsSql(orgId, { ...s, id: { ...s.id, lt: floor } })] : [])];
  }
  const id = idRange(q, q.cursor);
  const values: unknown[] = [orgId];
  const where = ['org_id = $1::uuid', "kind = 'run'"];
  const add = (sql: string, v: unknown) => {
    values.push(v);
    where.push(sql.replace('?', `$${values.length}`));
  };
  if (q.workflowId) add('workflow_id = ?::uuid', q.workflowId);
  if (q.status) add('status = ?', q.status);
  if (q.triggerType) add('trigger_type = ?', q.triggerType);
  if (id.gte) add('id >= ?::uuid', id.gte);
  if (id.lt) add('id < ?::uuid', id.lt);
  return [{ text: `SELECT * FROM runs WHERE ${where.join(' AND ')} ORDER BY id DESC LIMIT ${PAGE + 1}`, values }];
}
