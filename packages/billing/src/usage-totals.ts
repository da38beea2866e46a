import { dayEnd, dayStart, rows, type Queryable } from './sql';

export type UsageGroupBy = 'day' | 'workflow' | 'nodeType';

/** One group's totals per usage kind (`run`, `step_ms`, …), quantities as numbers. */
export interface UsageGroup {
  key: string;
  totals: Record<string, number>;
}

const KEY: Record<UsageGroupBy, string> = {
  day: "to_char(day, 'YYYY-MM-DD')",
  workflow: 'workflow_id::text',
  nodeType: 'node_type',
};

/**
 * The org's usage from `from` to `to` (UTC days, both included), grouped. Days up to the last day
 * the aggregation closed come from usage_daily; later days (today, and yesterday until the job
 * closes it) from usage_events themselves, through the (org_id, created_at) index: the numbers are
 * current without counting every event of the range.
 */
const TOTALS = (groupBy: UsageGroupBy) => `WITH live AS (
       SELECT GREATEST($2::date, COALESCE((SELECT max(day) + 1 FROM usage_closed_days WHERE day <= $3::date), $2::date)) AS day),
     src AS (
       SELECT d.day, d.kind, d.node_type, d.workflow_id, d.quantity FROM usage_daily d, live
       WHERE d.org_id = $1 AND d.day >= $2::date AND d.day < live.day
       UNION ALL
       SELECT (e.created_at AT TIME ZONE 'UTC')::date, e.kind, COALESCE(e.data->>'nodeType', ''), e.workflow_id, e.quantity
       FROM usage_events e, live
       WHERE e.org_id = $1 AND e.created_at >= ${dayStart('live.day')} AND e.created_at < ${dayEnd('$3')})
   SELECT ${KEY[groupBy]} AS key, kind, sum(quantity)::text AS quantity FROM src GROUP BY 1, 2 ORDER BY 1, 2`;

export async function usageTotals(q: Queryable, orgId: string, range: { from: string; to: string }, groupBy: UsageGroupBy): Promise<{ items: UsageGroup[]; totals: Record<string, number> }> {
  const found = await rows<{ key: string | null; kind: string; quantity: string }>(q, TOTALS(groupBy), [orgId, range.from, range.to]);
  const groups = new Map<string, UsageGroup>();
  const totals: Record<string, number> = {};
  for (const r of found) {
    const key = r.key ?? '';
    const group = groups.get(key) ?? { key, totals: {} };
    groups.set(key, group);
    const n = Number(r.quantity);
    group.totals[r.kind] = (group.totals[r.kind] ?? 0) + n;
    totals[r.kind] = (totals[r.kind] ?? 0) + n;
  }
  return { items: [...groups.values()], totals };
}
