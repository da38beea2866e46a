import { QuotaGuard, type QuotaRefusal } from '@weft/billing';
import { AppError } from '../../errors';
import type { Resources } from '../../resources';

const guards = new WeakMap<Resources, QuotaGuard>();

/** The quota guard of this gateway process (one per Resources: its caches are per process). */
export function quotaGuardOf(res: Resources): QuotaGuard {
  let guard = guards.get(res);
  if (!guard) guards.set(res, (guard = new QuotaGuard(res.db.pool)));
  return guard;
}

/** The problem a refused run start answers: 402 (monthly quota) or 429 (concurrency), with Retry-After. */
export function quotaProblem(r: QuotaRefusal): AppError {
  return new AppError(r.status === 402 ? 'quota_exceeded' : 'concurrency_limit', r.message, undefined, {
    extensions: { quota: r.quota, plan: r.plan, limit: r.limit, used: r.used, resetsAt: r.resetsAt },
    headers: { 'retry-after': String(r.retryAfterSeconds) },
  });
}

/**
 * Refuses a new run of the org when its plan's quota is used up (POST /v1/runs, draft test runs,
 * reruns). Cheap: an unlimited plan costs a cached lookup (packages/billing quotas.ts).
 */
export async function assertRunQuota(res: Resources, orgId: string): Promise<void> {
  const refusal = await quotaGuardOf(res).refusal(orgId);
  if (refusal) throw quotaProblem(refusal);
}

/** A run of the org was committed by this process. */
export const runStarted = (res: Resources, orgId: string) => quotaGuardOf(res).runStarted(orgId);
