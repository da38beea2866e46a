import { orgPlan } from './plans';
import { priceQuantities, type Cost } from './prices';
import { rows, type Queryable } from './sql';
import { usageTotals } from './usage-totals';

export interface Invoice extends Cost {
  orgId: string;
  plan: string;
  /** UTC days, both included. */
  period: { from: string; to: string };
}

/**
 * The invoice of an org for a period, computed from the daily aggregates (usage_daily; days the
 * aggregation has not closed yet are read from their events, as GET /v1/usage does) and the
 * prices of the org's plan.
 */
export async function computeInvoice(q: Queryable, orgId: string, period: { from: string; to: string }): Promise<Invoice> {
  const { totals } = await usageTotals(q, orgId, period, 'day');
  const plan = await orgPlan(q, orgId);
  const cost = priceQuantities(Object.fromEntries(Object.entries(totals).map(([kind, n]) => [kind, BigInt(n)])), plan.prices);
  return { orgId, plan: plan.id, period, ...cost };
}

/**
 * The cost of one run: its own usage rows and those of its for_each iterations (runs of kind
 * `iteration` under it), priced like the invoice. A sub-workflow's child run is a run of its own
 * with its own cost. Read through the (org_id, created_at) index, within the run's lifetime (its
 * events are written before it finishes; an hour of slack keeps a late one).
 */
export async function runCost(q: Queryable, orgId: string, runId: string): Promise<Cost | undefined> {
  const found = await rows<{ kind: string | null; quantity: string | null; found: boolean }>(
    q,
    `WITH RECURSIVE root AS (SELECT id, created_at, finished_at FROM runs WHERE id = $2 AND org_id = $1),
     tree AS (
       SELECT id FROM root
       UNION ALL
       SELECT r.id FROM runs r JOIN tree t ON r.parent_run_id = t.id AND r.kind = 'iteration')
     SELECT e.kind, sum(e.quantity)::text AS quantity, true AS found
     FROM root, usage_events e
     WHERE e.org_id = $1 AND e.created_at >= root.created_at AND (root.finished_at IS NULL OR e.created_at <= root.finished_at + interval '1 hour')
       AND e.run_id IN (SELECT id FROM tree)
     GROUP BY e.kind
     UNION ALL SELECT NULL, NULL, EXISTS (SELECT 1 FROM root)`,
    [orgId, runId],
  );
  if (!found.some((r) => r.found)) return undefined;
  const plan = await orgPlan(q, orgId);
  return priceQuantities(Object.fromEntries(found.filter((r) => r.kind).map((r) => [r.kind!, BigInt(r.quantity!)])), plan.prices);
}
