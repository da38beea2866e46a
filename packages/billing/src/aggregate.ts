import { dayEnd, dayStart, rows, utcDay, type Queryable } from './sql';

/**
 * The daily aggregation (docs/operating/usage.md): usage_events of one UTC day → usage_daily, one
 * row per org, kind, node type and workflow. Idempotent and re-runnable: every run recomputes the
 * day's totals from the events and UPSERTs them (a day aggregated twice has the same rows). Runs
 * as the maintenance role (across orgs), one org at a time through the (org_id, created_at) index.
 *
 * A day is *closed* once aggregated after it ended plus `CLOSE_GRACE`: `usage_closed_days` says so,
 * and readers take a closed day from usage_daily and any other day from the events themselves
 * (so numbers are current without waiting for the job).
 */
export const CLOSE_GRACE_MS = 60_000;

const AGGREGATE_DAY = `INSERT INTO usage_daily (org_id, day, kind, node_type, workflow_id, quantity, events, updated_at)
   SELECT o.id, $1::date, e.kind, e.node_type, e.workflow_id, e.quantity, e.events, now()
   FROM orgs o, LATERAL (
     SELECT e.kind, COALESCE(e.data->>'nodeType', '') AS node_type,
       COALESCE(e.workflow_id, r.workflow_id, '00000000-0000-0000-0000-000000000000'::uuid) AS workflow_id,
       sum(e.quantity)::bigint AS quantity, count(*)::bigint AS events
     FROM usage_events e LEFT JOIN runs r ON r.id = e.run_id AND e.workflow_id IS NULL
     WHERE e.org_id = o.id AND e.created_at >= ${dayStart('$1')} AND e.created_at < ${dayEnd('$1')}
     GROUP BY 1, 2, 3) e
   ON CONFLICT (org_id, day, kind, node_type, workflow_id)
   DO UPDATE SET quantity = EXCLUDED.quantity, events = EXCLUDED.events, updated_at = now()
     WHERE usage_daily.quantity <> EXCLUDED.quantity OR usage_daily.events <> EXCLUDED.events`;

/** Marks the day closed when this aggregation ran after its end plus the grace. */
const CLOSE_DAY = `INSERT INTO usage_closed_days (day, aggregated_at) SELECT $1::date, now()
   WHERE now() >= ${dayEnd('$1')} + make_interval(secs => $2::double precision / 1000)
   ON CONFLICT (day) DO UPDATE SET aggregated_at = now()`;

/** Aggregates one UTC day (`YYYY-MM-DD`); returns the rows written or changed. */
export async function aggregateDay(q: Queryable, day: string): Promise<number> {
  const { rowCount } = await q.query(AGGREGATE_DAY, [day]);
  await q.query(CLOSE_DAY, [day, CLOSE_GRACE_MS]);
  return rowCount ?? 0;
}

/**
 * One pass of the job: every day from the oldest day not closed yet (at most `maxDays` back) to
 * today, and always the `recheckDays` days before today (an event's time is its transaction's
 * start: one that straddled midnight lands in a day already aggregated). Re-running it is
 * harmless; a day the job missed (the orchestrator was down) is caught up.
 */
export async function aggregateUsage(q: Queryable, now: Date = new Date(), maxDays = 35, recheckDays = 2): Promise<{ days: string[]; rows: number }> {
  const [open] = await rows<{ first: string | null }>(
    q,
    `SELECT to_char(min(d), 'YYYY-MM-DD') AS first FROM generate_series($1::date - $2::int, $1::date, '1 day') AS d
     WHERE d::date NOT IN (SELECT day FROM usage_closed_days)`,
    [utcDay(now), maxDays],
  );
  const recheck = utcDay(new Date(now.getTime() - recheckDays * 86_400_000));
  const first = open?.first && open.first < recheck ? open.first : recheck;
  const days: string[] = [];
  for (let d = new Date(`${first}T00:00:00Z`); utcDay(d) <= utcDay(now); d = new Date(d.getTime() + 86_400_000)) days.push(utcDay(d));
  let written = 0;
  for (const day of days) written += await aggregateDay(q, day);
  return { days, rows: written };
}
