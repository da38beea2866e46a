import { z } from 'zod';
import { rows, type Queryable } from './sql';

/** Prices of a plan: micro-units (1/1,000,000 of the currency unit) per metered unit, integers only. */
export const PriceBookSchema = z.record(z.string(), z.number().int().nonnegative());
export type PriceBook = z.infer<typeof PriceBookSchema>;

/** A plan: its quotas (null: unlimited) and prices. */
export interface Plan {
  id: string;
  name: string;
  runsPerMonth: number | null;
  stepSecondsPerMonth: number | null;
  concurrentRuns: number | null;
  prices: PriceBook;
}

interface PlanRow {
  id: string;
  name: string;
  runs_per_month: string | null;
  step_seconds_per_month: string | null;
  concurrent_runs: number | null;
  prices: unknown;
}

const planOf = (r: PlanRow): Plan => ({
  id: r.id,
  name: r.name,
  runsPerMonth: r.runs_per_month === null ? null : Number(r.runs_per_month),
  stepSecondsPerMonth: r.step_seconds_per_month === null ? null : Number(r.step_seconds_per_month),
  concurrentRuns: r.concurrent_runs,
  prices: PriceBookSchema.parse(r.prices ?? {}),
});

/** The plan of an org (its `plan_id`; the `default` plan when the org or its plan is not found). */
export async function orgPlan(q: Queryable, orgId: string): Promise<Plan> {
  const [row] = await rows<PlanRow>(
    q,
    `SELECT p.id, p.name, p.runs_per_month::text, p.step_seconds_per_month::text, p.concurrent_runs, p.prices
     FROM plans p WHERE p.id IN ((SELECT plan_id FROM orgs WHERE id = $1), 'default')
     ORDER BY p.id = 'default' LIMIT 1`,
    [orgId],
  );
  if (!row) throw new Error(`plan of org ${orgId} not found`);
  return planOf(row);
}

/** Whether a plan has no quota at all (the default plan): its orgs are never counted. */
export const isUnlimited = (p: Plan) => p.runsPerMonth === null && p.stepSecondsPerMonth === null && p.concurrentRuns === null;

/** Creates or changes a plan (platform administration, tests). */
export async function upsertPlan(q: Queryable, p: Omit<Plan, 'prices'> & { prices?: PriceBook }): Promise<void> {
  await q.query(
    `INSERT INTO plans (id, name, runs_per_month, step_seconds_per_month, concurrent_runs, prices) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, runs_per_month = EXCLUDED.runs_per_month,
       step_seconds_per_month = EXCLUDED.step_seconds_per_month, concurrent_runs = EXCLUDED.concurrent_runs, prices = EXCLUDED.prices`,
    [p.id, p.name, p.runsPerMonth, p.stepSecondsPerMonth, p.concurrentRuns, JSON.stringify(p.prices ?? {})],
  );
}

/** Every plan, by id (platform administration). */
export async function listPlans(q: Queryable): Promise<Plan[]> {
  const found = await rows<PlanRow>(q, `SELECT id, name, runs_per_month::text, step_seconds_per_month::text, concurrent_runs, prices FROM plans ORDER BY id`);
  return found.map(planOf);
}

/** One plan, or undefined. */
export async function planById(q: Queryable, id: string): Promise<Plan | undefined> {
  const [row] = await rows<PlanRow>(q, `SELECT id, name, runs_per_month::text, step_seconds_per_month::text, concurrent_runs, prices FROM plans WHERE id = $1`, [id]);
  return row && planOf(row);
}

/**
 * Puts an org on a plan (platform administration): `no_plan` when the plan does not exist,
 * `no_org` when the org does not (or is deleted), else the plan it was on. The quota guard of
 * every process sees the change once its cached plan expires (`planTtlMs`, 10 s by default).
 */
export async function setOrgPlan(q: Queryable, orgId: string, planId: string): Promise<{ from: string } | 'no_plan' | 'no_org'> {
  const [changed] = await rows<{ old_plan: string | null; plan: string | null }>(
    q,
    `WITH plan AS (SELECT id FROM plans WHERE id = $2),
          old AS (SELECT id, plan_id FROM orgs WHERE id = $1 AND deleted_at IS NULL FOR UPDATE),
          upd AS (UPDATE orgs o SET plan_id = plan.id FROM plan, old WHERE o.id = old.id RETURNING o.id)
     SELECT (SELECT plan_id FROM old) AS old_plan, (SELECT id FROM plan) AS plan`,
    [orgId, planId],
  );
  if (!changed?.plan) return 'no_plan';
  if (changed.old_plan === null) return 'no_org';
  return { from: changed.old_plan };
}
