import { liveRuns, orgPlan, usageTotals, utcDay, utcMonth, type Plan } from '@weft/billing';
import { rows, type Queryable } from '@weft/run-store';
import type { UsageAnswer, UsageQuery } from '@weft/workflow-schema';

/**
 * GET /v1/usage: the org's usage totals in a range of UTC days, grouped by day, workflow or node
 * type (closed days from the daily aggregates, the others from the events: current numbers), and
 * this month's use of its plan's quotas.
 */
export async function usageOf(q: Queryable, orgId: string, query: UsageQuery, now = new Date()): Promise<UsageAnswer> {
  const { items, totals } = await usageTotals(q, orgId, { from: query.from, to: query.to }, query.groupBy);
  const names = query.groupBy === 'workflow' ? await workflowNames(q, orgId, items.map((i) => i.key)) : new Map<string, string>();
  const plan = await orgPlan(q, orgId);
  return {
    from: query.from,
    to: query.to,
    groupBy: query.groupBy,
    items: items.map((i) => ({ key: i.key, ...(names.has(i.key) ? { name: names.get(i.key)! } : {}), totals: i.totals })),
    totals,
    plan: { id: plan.id, name: plan.name, quotas: await quotaUse(q, orgId, plan, now) },
  };
}

async function quotaUse(q: Queryable, orgId: string, plan: Plan, now: Date): Promise<UsageAnswer['plan']['quotas']> {
  const month = utcMonth(now);
  const { totals } = await usageTotals(q, orgId, { from: utcDay(month.start), to: utcDay(now) }, 'day');
  const live = await liveRuns(q, orgId);
  const resetsAt = month.end.toISOString();
  return {
    runsPerMonth: { limit: plan.runsPerMonth, used: totals.run ?? 0, resetsAt },
    stepSecondsPerMonth: { limit: plan.stepSecondsPerMonth, used: Math.floor((totals.step_ms ?? 0) / 1000), resetsAt },
    concurrentRuns: { limit: plan.concurrentRuns, used: live, resetsAt: null },
  };
}

async function workflowNames(q: Queryable, orgId: string, ids: string[]): Promise<Map<string, string>> {
  const uuids = ids.filter((id) => /^[0-9a-f-]{36}$/i.test(id));
  if (!uuids.length) return new Map();
  const found = await rows<{ id: string; name: string }>(q, 'SELECT id, name FROM workflows WHERE org_id = $1 AND id = ANY($2::uuid[])', [orgId, uuids]);
  return new Map(found.map((w) => [w.id, w.name]));
}
