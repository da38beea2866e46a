import { z } from 'zod';

/** The metered kinds (docs/operating/usage.md). */
export const USAGE_KINDS = ['run', 'step_ms', 'llm_tokens_in', 'llm_tokens_out', 'http_bytes'] as const;

const MAX_RANGE_DAYS = 366;
const day = (what: string) => z.iso.date().describe(`${what} (a UTC day, YYYY-MM-DD, included)`);

/** GET /v1/usage: `from` and `to` UTC days (both included, at most 366 days apart), `groupBy`. */
export const UsageQuerySchema = z
  .object({
    from: day('First day'),
    to: day('Last day'),
    groupBy: z.enum(['day', 'workflow', 'nodeType']).default('day').describe('One item per day, per workflow or per node type.'),
  })
  .superRefine((q, ctx) => {
    const from = Date.parse(`${q.from}T00:00:00Z`);
    const to = Date.parse(`${q.to}T00:00:00Z`);
    if (to < from) ctx.addIssue({ code: 'custom', path: ['to'], message: `must not be before from (${q.from})` });
    else if ((to - from) / 86_400_000 >= MAX_RANGE_DAYS) ctx.addIssue({ code: 'custom', path: ['to'], message: `at most ${MAX_RANGE_DAYS} days after from` });
  });
export type UsageQuery = z.infer<typeof UsageQuerySchema>;

const Totals = z.record(z.string(), z.number()).describe('Quantity per usage kind: run (runs), step_ms (executor step milliseconds), llm_tokens_in, llm_tokens_out, http_bytes.');

const QuotaSchema = z.object({
  limit: z.number().nullable().describe('null: unlimited'),
  used: z.number(),
  resetsAt: z.string().nullable(),
});

export const UsageAnswerSchema = z
  .object({
    from: z.string(),
    to: z.string(),
    groupBy: z.enum(['day', 'workflow', 'nodeType']),
    items: z.array(z.object({ key: z.string().describe('The day, the workflow id or the node type ("" for run rows)'), name: z.string().optional().describe('The workflow name (groupBy=workflow)'), totals: Totals })),
    totals: Totals,
    plan: z.object({
      id: z.string(),
      name: z.string(),
      quotas: z.object({ runsPerMonth: QuotaSchema, stepSecondsPerMonth: QuotaSchema, concurrentRuns: QuotaSchema }).describe("This month's use of each quota of the org's plan"),
    }),
  })
  .meta({ id: 'Usage' });
export type UsageAnswer = z.infer<typeof UsageAnswerSchema>;

/** A run's cost: its usage priced with the org's plan (integer micro-units; the lines add up to the invoice). */
export const RunCostSchema = z
  .object({
    currency: z.string(),
    totalMicros: z.string().describe('Micro-units (1/1,000,000 of the currency), as a decimal string'),
    lines: z.array(z.object({ kind: z.string(), quantity: z.string(), unitPriceMicros: z.number().int(), amountMicros: z.string() })),
  })
  .meta({ id: 'RunCost' });
export type RunCost = z.infer<typeof RunCostSchema>;

/** The problem of a refused run start: which quota, its limit, what is used, when it resets. */
export const QuotaProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    instance: z.string().optional(),
    quota: z.enum(['runs_per_month', 'step_seconds_per_month', 'concurrent_runs']),
    plan: z.string(),
    limit: z.number(),
    used: z.number(),
    resetsAt: z.string().nullable(),
  })
  .meta({ id: 'QuotaProblem', description: '402 (a monthly quota is used up) or 429 (too many runs at once), with Retry-After' });
