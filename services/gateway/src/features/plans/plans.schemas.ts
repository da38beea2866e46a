import { z } from 'zod';

export const PlanIdSchema = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'lower-case letters, digits, "-" and "_", at most 64').describe('Plan id');

const quota = (what: string) => z.number().int().nonnegative().nullable().describe(`${what}; null: unlimited`);

export const PlanBodySchema = z.strictObject({
  name: z.string().min(1).max(100),
  runsPerMonth: quota('Runs started per UTC month'),
  stepSecondsPerMonth: quota('Executor step-seconds per UTC month'),
  concurrentRuns: quota('Runs live at once'),
  prices: z.record(z.string(), z.number().int().nonnegative()).default({}).describe('Micro-units (1/1,000,000 of the currency) per metered unit, by usage kind'),
});

export const PlanSchema = PlanBodySchema.extend({ id: PlanIdSchema }).meta({ id: 'Plan' });

export const PlanParamsSchema = z.object({ planId: PlanIdSchema });
export const OrgParamsSchema = z.object({ orgId: z.uuid() });
export const SetOrgPlanBodySchema = z.strictObject({ planId: PlanIdSchema });
export const OrgPlanSchema = z.object({ orgId: z.string(), planId: z.string() });
