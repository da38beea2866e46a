import { isUnlimited, orgPlan, type Plan } from './plans';
import { rows, utcDay, utcMonth, type Queryable } from './sql';
import { usageTotals } from './usage-totals';

export type QuotaName = 'runs_per_month' | 'step_seconds_per_month' | 'concurrent_runs';

/** Why a run may not start: the quota, its limit, what is used, when it resets; 402 monthly, 429 concurrency. */
export interface QuotaRefusal {
  quota: QuotaName;
  plan: string;
  limit: number;
  used: number;
  /** ISO time the quota resets (the next month's start), or null for concurrency (when a run ends). */
  resetsAt: string | null;
  status: 402 | 429;
  /** Seconds a client should wait before trying again (Retry-After). */
  retryAfterSeconds: number;
  message: string;
}

export interface QuotaGuardOptions {
  /** How long an org's plan is cached (ms). */
  planTtlMs?: number;
  /** How long an org's month-to-date usage is cached (ms); runs started by this process are added meanwhile. */
  usageTtlMs?: number;
  now?: () => Date;
}

interface MonthUsage {
  month: string;
  at: number;
  runs: number;
  stepMs: number;
}

/**
 * The quota check of run starts (POST /v1/runs, reruns, draft test runs, webhook deliveries,
 * schedule fires). Cheap: the org's plan is cached, an unlimited plan (the default) is never
 * counted; a limited one reads its month-to-date totals (closed days from usage_daily, the open
 * ones from the day's events) at most once per `usageTtlMs` per org and process, adding the runs
 * this process started meanwhile; concurrency counts the org's live top-level runs, bounded by the
 * limit. A quota only refuses new runs: a run that started always finishes.
 */
export class QuotaGuard {
  private readonly plans = new Map<string, { plan: Plan; at: number }>();
  private readonly usage = new Map<string, MonthUsage>();
  private readonly planTtlMs: number;
  private readonly usageTtlMs: number;
  private readonly now: () => Date;

  constructor(private readonly q: Queryable, o: QuotaGuardOptions = {}) {
    this.planTtlMs = o.planTtlMs ?? 10_000;
    this.usageTtlMs = o.usageTtlMs ?? 5_000;
    this.now = o.now ?? (() => new Date());
  }

  /** The refusal of a new run of the org, or undefined when it may start. */
  async refusal(orgId: string): Promise<QuotaRefusal | undefined> {
    const plan = await this.planOf(orgId);
    if (isUnlimited(plan)) return undefined;
    const now = this.now();
    const resetsAt = utcMonth(now).end.toISOString();
    const untilReset = Math.max(1, Math.ceil((utcMonth(now).end.getTime() - now.getTime()) / 1000));
    if (plan.runsPerMonth !== null || plan.stepSecondsPerMonth !== null) {
      const used = await this.monthUsage(orgId, now);
      if (plan.runsPerMonth !== null && used.runs >= plan.runsPerMonth) {
        return refusal('runs_per_month', plan, plan.runsPerMonth, used.runs, resetsAt, 402, untilReset, `runs this month`);
      }
      const stepSeconds = Math.floor(used.stepMs / 1000);
      if (plan.stepSecondsPerMonth !== null && stepSeconds >= plan.stepSecondsPerMonth) {
        return refusal('step_seconds_per_month', plan, plan.stepSecondsPerMonth, stepSeconds, resetsAt, 402, untilReset, 'step-seconds this month');
      }
    }
    if (plan.concurrentRuns !== null) {
      const live = await liveRuns(this.q, orgId, plan.concurrentRuns);
      if (live >= plan.concurrentRuns) return refusal('concurrent_runs', plan, plan.concurrentRuns, live, null, 429, 5, 'runs at once');
    }
    return undefined;
  }

  /** A run of the org started (its row committed): counted until the cached totals are read again. */
  runStarted(orgId: string): void {
    const u = this.usage.get(orgId);
    if (u) u.runs += 1;
  }

  /** Forgets what is cached (a plan changed). */
  forget(orgId?: string): void {
    if (orgId) {
      this.plans.delete(orgId);
      this.usage.delete(orgId);
    } else {
      this.plans.clear();
      this.usage.clear();
    }
  }

  private async planOf(orgId: string): Promise<Plan> {
    const hit = this.plans.get(orgId);
    const t = Date.now();
    if (hit && t - hit.at < this.planTtlMs) return hit.plan;
    const plan = await orgPlan(this.q, orgId);
    this.plans.set(orgId, { plan, at: t });
    return plan;
  }

  private async monthUsage(orgId: string, now: Date): Promise<MonthUsage> {
    const month = utcDay(utcMonth(now).start);
    const hit = this.usage.get(orgId);
    const t = Date.now();
    if (hit && hit.month === month && t - hit.at < this.usageTtlMs) return hit;
    const { totals } = await usageTotals(this.q, orgId, { from: month, to: utcDay(now) }, 'day');
    const fresh = { month, at: t, runs: totals.run ?? 0, stepMs: totals.step_ms ?? 0 };
    this.usage.set(orgId, fresh);
    return fresh;
  }
}

function refusal(quota: QuotaName, plan: Plan, limit: number, used: number, resetsAt: string | null, status: 402 | 429, retryAfterSeconds: number, what: string): QuotaRefusal {
  const when = resetsAt ? `it resets at ${resetsAt}` : 'a run must end first';
  return { quota, plan: plan.id, limit, used, resetsAt, status, retryAfterSeconds, message: `quota ${quota} of plan "${plan.id}" reached: ${used} of ${limit} ${what}; ${when}` };
}

/** Live top-level runs of the org (queued, running, waiting): the concurrent-runs quota's use, counted up to `limit` (none: all). */
export async function liveRuns(q: Queryable, orgId: string, limit: number | null = null): Promise<number> {
  const [row] = await rows<{ n: number }>(
    q,
    `SELECT count(*)::int AS n FROM (SELECT 1 FROM runs WHERE org_id = $1 AND status IN ('queued', 'running', 'waiting')
       AND kind = 'run' AND parent_run_id IS NULL LIMIT $2) live`,
    [orgId, limit],
  );
  return row?.n ?? 0;
}
