import { CATCHUP_POLICIES, OVERLAP_POLICIES, cronProblem, timezoneProblem, MAX_CRON_LENGTH } from '@weft/schedule';
import { z } from 'zod';
import { JsonSchema } from './definition';

const problemCheck = (problem: (v: string) => string | undefined) => (value: string, ctx: z.core.$RefinementCtx<string>) => {
  const message = problem(value);
  if (message) ctx.addIssue({ code: 'custom', message });
};

export const CronExpressionSchema = z
  .string()
  .max(MAX_CRON_LENGTH)
  .superRefine(problemCheck(cronProblem))
  .describe('5 fields (minute hour day-of-month month day-of-week) or 6 (seconds first), read in `timezone`; e.g. `0 9 * * MON-FRI`, `*/10 * * * * *`.');

export const TimezoneSchema = z.string().max(64).superRefine(problemCheck(timezoneProblem)).describe('An IANA time zone, e.g. `Europe/Berlin`, `America/New_York`, `UTC`.');

export const OverlapPolicySchema = z
  .enum(OVERLAP_POLICIES)
  .describe('While a run of this schedule is live (queued, running, waiting): `skip` starts nothing (default); `buffer_one` keeps one fire waiting and starts it when the live run ends; `allow` always starts.');

export const CatchupPolicySchema = z
  .enum(CATCHUP_POLICIES)
  .describe('Fires missed while no scheduler ran: `skip` none; `latest` the newest one (default); `all` each one within the catch-up window (bounded).');

const ScheduleFields = {
  cron: CronExpressionSchema,
  timezone: TimezoneSchema,
  inputs: z.record(z.string(), JsonSchema).describe("The inputs of every run it starts, checked against the trigger's inputSchema of the workflow's latest published version."),
  overlap: OverlapPolicySchema,
  catchup: CatchupPolicySchema,
  enabled: z.boolean(),
};

export const CreateScheduleBodySchema = z.strictObject({
  cron: ScheduleFields.cron,
  timezone: ScheduleFields.timezone,
  inputs: ScheduleFields.inputs.optional(),
  overlap: ScheduleFields.overlap.default('skip'),
  catchup: ScheduleFields.catchup.default('latest'),
  enabled: ScheduleFields.enabled.default(true),
});
export type CreateScheduleBody = z.infer<typeof CreateScheduleBodySchema>;

export const UpdateScheduleBodySchema = z
  .strictObject({
    cron: ScheduleFields.cron.optional(),
    timezone: ScheduleFields.timezone.optional(),
    inputs: ScheduleFields.inputs.optional(),
    overlap: ScheduleFields.overlap.optional(),
    catchup: ScheduleFields.catchup.optional(),
    enabled: ScheduleFields.enabled.optional(),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), { message: 'give at least one of cron, timezone, inputs, overlap, catchup, enabled', path: ['cron'] });
export type UpdateScheduleBody = z.infer<typeof UpdateScheduleBodySchema>;

/** How many upcoming fire times a schedule shows in `nextRuns`. */
export const SCHEDULE_NEXT_RUNS = 5;

export const ScheduleSchema = z.object({
  id: z.string(),
  workflowId: z.string(),
  cron: z.string(),
  timezone: z.string(),
  inputs: z.record(z.string(), z.unknown()),
  overlap: z.enum(OVERLAP_POLICIES),
  catchup: z.enum(CATCHUP_POLICIES),
  enabled: z.boolean(),
  nextRuns: z.array(z.string()).describe(`The next ${SCHEDULE_NEXT_RUNS} fire times (ISO 8601, UTC); empty while disabled.`),
  nextRunAt: z.string().nullable().describe('The nominal time of the next fire the scheduler has not handled yet (null while disabled).'),
  lastRunAt: z.string().nullable().describe('The nominal time of the last fire that started a run.'),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Schedule = z.infer<typeof ScheduleSchema>;

export const SchedulePreviewQuerySchema = z.object({
  count: z.coerce.number().int().min(1).max(200).default(20).describe('How many fire times (1 to 200).'),
  from: z.string().datetime({ offset: true }).optional().describe('List the fires after this instant (default: now).'),
});

export const PreviewFireSchema = z.object({
  at: z.string().describe('The instant, ISO 8601 UTC.'),
  local: z.string().describe("The same instant in the schedule's time zone, with its offset."),
  utcOffset: z.string(),
  dst: z
    .object({
      kind: z.enum(['spring_forward', 'fall_back']),
      previousOffset: z.string(),
      shifted: z.boolean().describe('The wall time does not exist that day: the fire moved to the first valid instant after the gap.'),
      repeated: z.enum(['first', 'second']).nullable().describe('The wall time occurs twice that day; which pass this fire is.'),
      note: z.string(),
    })
    .nullable()
    .describe('Set when a DST change concerns this fire.'),
});

export const SchedulePreviewSchema = z.object({
  scheduleId: z.string(),
  cron: z.string(),
  timezone: z.string(),
  fires: z.array(PreviewFireSchema),
});

/** `GET /v1/schedules/preview`: the fires of an expression before any schedule exists (the create form's preview). */
export const CronPreviewQuerySchema = SchedulePreviewQuerySchema.extend({
  cron: ScheduleFields.cron,
  timezone: ScheduleFields.timezone,
  count: z.coerce.number().int().min(1).max(50).default(SCHEDULE_NEXT_RUNS).describe('How many fire times (1 to 50).'),
});

export const CronPreviewSchema = SchedulePreviewSchema.omit({ scheduleId: true });
export type CronPreview = z.infer<typeof CronPreviewSchema>;

/** `GET /v1/schedules`: the org's schedules, newest first, optionally of one workflow. */
export const ListSchedulesQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().uuid().optional(),
  workflowId: z.string().uuid().optional(),
});

export const ScheduleFireSchema = z.object({
  id: z.string(),
  nominalTime: z.string().describe('The time the cron expression named (ISO 8601 UTC): each fires once.'),
  outcome: z.enum(['started', 'skipped', 'buffered']).describe('`started` a run; `skipped` (overlap: a run was live, or `reason`); `buffered` (buffer_one: waits for the live run to end).'),
  reason: z.string().nullable().optional().describe("Why a fire was skipped when not by the overlap policy: a quota of the org's plan used up (docs/operating/usage.md)."),
  runId: z.string().nullable(),
  createdAt: z.string(),
});
