import { z } from 'zod';
import { RunCostSchema } from './usage';
import { WorkflowDefinitionSchema, JsonSchema, NodeIdSchema } from './definition';
import { ActorSchema } from './accounts';
import { IssueSchema, StepErrorSchema } from './errors';
import { RunStatusSchema, StepStatusSchema } from './status';
import { TriggerTypeSchema } from './triggers';
import { StepItemsSchema } from './iterations';

export const UuidParamSchema = z.object({ id: z.string().uuid() });

export const ListQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().uuid().optional(),
});

export const listOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });

/** Drafts may be incomplete, so they are stored as any JSON object. */
export const DraftSchema = z.record(z.string(), z.unknown());

export const CreateWorkflowBodySchema = z.object({
  name: z.string().trim().min(1).max(200),
  description: z.string().max(5000).optional(),
  definition: DraftSchema.optional(),
  tags: z.array(z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'must match ^[a-z0-9][a-z0-9-]{0,39}$')).max(20).optional(),
});
export type CreateWorkflowBody = z.infer<typeof CreateWorkflowBodySchema>;

export const WorkflowSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  draft: DraftSchema,
  latestVersion: z.number().int().nullable(),
  tags: z.array(z.string()),
  /** A disabled workflow's triggers (API runs, webhooks, schedules) start nothing; test runs from the studio still run. */
  enabled: z.boolean(),
  /** Who created it (null for workflows created before this was recorded). */
  createdBy: ActorSchema.nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Workflow = z.infer<typeof WorkflowSchema>;

export const PutDraftBodySchema = z.object({ definition: DraftSchema });
export const DraftAnswerSchema = WorkflowSchema.extend({ problems: z.array(IssueSchema) });

export const CreateVersionBodySchema = z.object({ definition: DraftSchema.optional() });

export const WorkflowVersionSchema = z.object({
  id: z.string(),
  workflowId: z.string(),
  version: z.number().int(),
  definition: WorkflowDefinitionSchema,
  /** Who published it (null for versions published before this was recorded). */
  publishedBy: ActorSchema.nullable(),
  createdAt: z.string(),
});
export type WorkflowVersion = z.infer<typeof WorkflowVersionSchema>;

export const ValidateBodySchema = z.object({ definition: z.unknown() });
export const ValidateAnswerSchema = z.object({ valid: z.boolean(), errors: z.array(IssueSchema) });

export const CreateRunBodySchema = z
  .object({
    workflowVersionId: z.string().uuid().optional(),
    workflowId: z.string().uuid().optional(),
    inputs: z.record(z.string(), JsonSchema).optional(),
    idempotencyKey: z.string().min(1).max(255).optional(),
    /** A test run of the workflow's current draft (needs workflowId): no version is published, the run is marked `test`. */
    draft: z.boolean().optional(),
    /** Test runs only: these nodes are not executed, their outputs are copied from that earlier run of the same workflow. */
    pinFrom: z.object({ runId: z.string().uuid(), nodeIds: z.array(NodeIdSchema).min(1).max(200) }).optional(),
  })
  .refine((b) => (b.workflowId === undefined) !== (b.workflowVersionId === undefined), {
    message: 'give exactly one of workflowId or workflowVersionId',
    path: ['workflowId'],
  })
  .refine((b) => !b.draft || b.workflowId !== undefined, { message: 'a draft test run names its workflowId', path: ['draft'] })
  .refine((b) => !b.pinFrom || b.draft === true, { message: 'pinned outputs are for test runs of the draft (draft: true)', path: ['pinFrom'] });
export type CreateRunBody = z.infer<typeof CreateRunBodySchema>;

export const CreateRunAnswerSchema = z.object({ runId: z.string() });

export const StepSchema = z.object({
  id: z.string(),
  nodeId: z.string(),
  status: StepStatusSchema,
  attempt: z.number().int(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  durationMs: z.number().nullable(),
  /** When the attempt was created (dispatched) and when a worker could first take it (after a retry delay): the timeline's queue wait. */
  queuedAt: z.string().nullable().optional().describe('When this attempt was dispatched (created).'),
  availableAt: z.string().nullable().optional().describe('When a worker could first take it: queuedAt plus any retry delay. Queue wait = startedAt − availableAt.'),
  output: z.unknown().nullable(),
  error: StepErrorSchema.nullable(),
  /** What the step was given (approval prompt and resolution, for_each item count...). */
  input: z.unknown().nullable().optional(),
  /** The named output a branching step left by (branch: true/false; approval: approved/rejected). */
  handle: z.string().nullable().optional(),
  /** A for_each step's items: how many, started, done and failed (iterations: GET /v1/runs/{id}/steps/{stepId}/iterations). */
  items: StepItemsSchema.optional(),
});
export type Step = z.infer<typeof StepSchema>;

export const RunLogSchema = z.object({
  ts: z.string().describe('When the line was said (ISO-8601).'),
  level: z.string().describe('debug, info, warn or error.'),
  msg: z.string().describe('The line, masked like outputs (secrets never appear).'),
  stepId: z.string().nullable().optional().describe('The step attempt that said it.'),
  nodeId: z.string().nullable().optional().describe("That step's node."),
});
export type RunLog = z.infer<typeof RunLogSchema>;

export const RunSummarySchema = z.object({
  id: z.string(),
  workflowId: z.string(),
  workflowVersionId: z.string(),
  status: RunStatusSchema,
  inputs: z.unknown(),
  output: z.unknown().nullable(),
  error: z.unknown().nullable(),
  parentRunId: z.string().nullable(),
  /** Who started it through the API; null for runs the platform starts (sub-workflow children). */
  createdBy: ActorSchema.nullable(),
  triggerType: TriggerTypeSchema.describe('What started the run: api, manual, webhook, schedule, sub_workflow or retry.'),
  triggerId: z.string().nullable().describe('The schedule, webhook or parent run that started it; null for api and manual runs.'),
  test: z.boolean().describe('A test run of a draft, started from the studio: it ran no published version.'),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
});
export type RunSummary = z.infer<typeof RunSummarySchema>;

/**
 * How many steps `GET /v1/runs/:id` holds at most: the first ones in the order of
 * `GET /v1/runs/:id/steps` (creation order), so that a 10,000-step run is not one huge answer.
 */
export const RUN_STEPS_CAP = 1000;

export const RunSchema = RunSummarySchema.extend({
  steps: z
    .array(StepSchema)
    .describe(`The run's first ${RUN_STEPS_CAP} steps at most, in creation order (each attempt is a step); the rest: GET /v1/runs/{id}/steps?cursor={stepsNextCursor}.`),
  /** How many steps the run has; more than steps.length when the list was capped. */
  stepsTotal: z.number().int().describe('How many steps the run has (every attempt counts). Larger than `steps.length` when `steps` was capped.'),
  /** Where GET /v1/runs/:id/steps continues after `steps`; null when `steps` holds every step. */
  stepsNextCursor: z
    .string()
    .nullable()
    .describe('The `cursor` of GET /v1/runs/{id}/steps that continues after `steps`; null when `steps` holds every step.'),
  logs: z.array(RunLogSchema),
  traceId: z
    .string()
    .nullable()
    .optional()
    .describe("The OpenTelemetry trace id of the run's spans (docs/operating/traces.md); null when tracing was off when it started."),
  /** When the org's retention cleared the run's inputs, outputs and logs (docs/operating/retention.md); null while they are kept. */
  dataPurgedAt: z.string().nullable().optional().describe("When the org's retention cleared the run's inputs, outputs and logs; null while they are kept."),
  cost: RunCostSchema.nullable().optional().describe("The run's usage priced with the org's plan (for_each iterations included; a sub-workflow's child run has its own)."),
});
export type Run = z.infer<typeof RunSchema>;

/** A time range of run creation: `since` inclusive, `until` exclusive (ISO-8601 instants). */
export const RunTimeRangeSchema = z.object({
  since: z.string().datetime({ offset: true }).optional().describe('Only runs created at or after this instant (ISO-8601).'),
  until: z.string().datetime({ offset: true }).optional().describe('Only runs created before this instant (ISO-8601).'),
});

export const ListRunsQuerySchema = ListQuerySchema.extend({
  workflowId: z.string().uuid().optional(),
  status: RunStatusSchema.optional(),
  triggerType: TriggerTypeSchema.optional(),
  q: z
    .string()
    .trim()
    .min(3, 'search at least 3 characters of an error message')
    .max(200)
    .optional()
    .describe(
      'Free text searched in the runs\' error messages: runs whose error message contains it, case-insensitively (a trigram index). ' +
        'At least 3 characters; only runs with an error match. Combines with every other filter.',
    ),
  test: z.enum(['true', 'false']).transform((v) => v === 'true').optional().describe('Only test runs of drafts (true) or only runs of published versions (false); both when absent'),
}).extend(RunTimeRangeSchema.shape);
export type ListRunsQuery = z.infer<typeof ListRunsQuerySchema>;

/** `GET /v1/runs/counts`: how many top-level runs of each status were created in a time range. */
export const RunCountsQuerySchema = RunTimeRangeSchema.extend({ workflowId: z.string().uuid().optional() });
const count = z.number().int();
export const RunCountsAnswerSchema = z.object({
  counts: z
    .object({ queued: count, running: count, waiting: count, succeeded: count, failed: count, cancelled: count } satisfies Record<z.infer<typeof RunStatusSchema>, z.ZodType>)
    .describe('Runs per status; every status is present (0 when none).'),
});
export type RunCounts = z.infer<typeof RunCountsAnswerSchema>;

export const RunEventSchema = z.object({
  seq: z.number().int(),
  type: z.string(),
  nodeId: z.string().nullable(),
  stepId: z.string().nullable(),
  data: z.unknown(),
  createdAt: z.string(),
});
export type RunEvent = z.infer<typeof RunEventSchema>;

/** Largest event seq (run_events.seq is a Postgres integer). */
const MAX_SEQ = 2_147_483_647;

/** `GET /v1/runs/:id/events`: a page of events in seq order, after the event whose seq is `cursor`. */
export const RunEventsQuerySchema = z.object({
  limit: ListQuerySchema.shape.limit,
  cursor: z
    .string()
    // The pattern also documents the format in OpenAPI; `abort` leaves one issue per bad cursor.
    .regex(/^(0|[1-9][0-9]{0,9})$/, { message: `a cursor is the seq of an event: a whole number from 0 to ${MAX_SEQ}`, abort: true })
    .refine((c) => Number(c) <= MAX_SEQ, `a cursor is the seq of an event: a whole number from 0 to ${MAX_SEQ}`)
    .optional()
    .describe('The `nextCursor` of the previous page: the seq of the last event read. The page holds the events after it.'),
});

export const RunEventsAnswerSchema = listOf(RunEventSchema);

/** `GET /v1/runs/:id/steps`: a page of steps in creation order. */
export const RunStepsAnswerSchema = listOf(StepSchema);
export const RunLogsAnswerSchema = listOf(RunLogSchema);

export const ResumeRunBodySchema = z.object({
  /** The wait_for_approval node the run waits on. */
  nodeId: NodeIdSchema,
  decision: z.enum(['approve', 'reject']),
  /** Becomes the approval step's output (JSON). */
  payload: JsonSchema.optional(),
});
export type ResumeRunBody = z.infer<typeof ResumeRunBodySchema>;

export const RetryRunBodySchema = z.object({
  /** Re-run from this node (and everything after it); without it, the failed steps are re-run. */
  fromNodeId: NodeIdSchema.optional(),
});
export type RetryRunBody = z.infer<typeof RetryRunBodySchema>;

/** `POST /v1/runs/:id/rerun`: a NEW run of an ended run's version (trigger `retry`, triggerId the run). */
export const RerunBodySchema = z
  .object({
    /** Edited inputs (validated against the trigger's inputSchema); without them, the run's own inputs. */
    inputs: z.record(z.string(), JsonSchema).optional(),
    fromNodeId: NodeIdSchema.optional().describe(
      "Replay from this node: the outputs the run's nodes before it produced (every node not downstream of it) are reused, not executed again; it and everything after it run.",
    ),
    stepOutputs: z
      .record(z.string(), JsonSchema)
      .optional()
      .describe("The node's edited input: outputs of nodes before `fromNodeId` by node id (what it reads as `steps.ID.output`), used instead of the run's."),
  })
  .refine((b) => b.stepOutputs === undefined || b.fromNodeId !== undefined, { message: 'edited step outputs need fromNodeId (the node to replay from)', path: ['stepOutputs'] });
export type RerunBody = z.infer<typeof RerunBodySchema>;

/** `POST /v1/workflows/:id/runs/retry`: redrive a workflow's failed (or cancelled) runs in bulk. */
export const BulkRetryBodySchema = z.object({
  /** Which runs: failed (default) or cancelled. */
  status: z.enum(['failed', 'cancelled']).default('failed'),
  /** Only runs created at or after this instant (ISO-8601). */
  since: z.string().datetime({ offset: true }).optional(),
  /** Only runs created before this instant (ISO-8601). */
  until: z.string().datetime({ offset: true }).optional(),
  /** At most this many runs, oldest first (call again for the next batch). */
  limit: z.number().int().min(1).max(1000).default(100),
});
export type BulkRetryBody = z.infer<typeof BulkRetryBodySchema>;
export const BulkRetryAnswerSchema = z.object({
  workflowId: z.string(),
  /** The runs a retry was requested for, oldest first. */
  runIds: z.array(z.string()),
  /** True when more runs matched than `limit`: call again. */
  more: z.boolean(),
});

/** `POST /v1/runs/bulk`: retry or cancel every top-level run matching a run-list filter, `limit` at a time. */
export const BulkRunActionBodySchema = z.object({
  /** retry: failed or cancelled runs (in place, their failed steps); cancel: queued, running or waiting runs. */
  action: z.enum(['retry', 'cancel']),
  /** The filters of `GET /v1/runs` (same names and rules); runs the action does not apply to are left out. */
  filter: ListRunsQuerySchema.pick({ workflowId: true, status: true, triggerType: true, q: true, since: true, until: true }).strict().default({}),
  /** At most this many runs, oldest first (call again while `more`). */
  limit: z.number().int().min(1).max(1000).default(100),
});
export type BulkRunActionBody = z.infer<typeof BulkRunActionBodySchema>;
export const BulkRunActionAnswerSchema = z.object({
  action: z.enum(['retry', 'cancel']),
  /** The runs the action was requested for, oldest first. */
  runIds: z.array(z.string()),
  /** True when more runs matched than `limit`: call again. */
  more: z.boolean(),
});
export type BulkRunActionAnswer = z.infer<typeof BulkRunActionAnswerSchema>;

/** Answer of the run actions (cancel, resume, retry): accepted, carried out asynchronously. */
export const RunActionAnswerSchema = z.object({ runId: z.string() });

/** A live run event: a run_events row, or an ephemeral notice (seq null, e.g. step.started). */
export const LiveEventSchema = RunEventSchema.extend({ seq: z.number().int().nullable() });
export type LiveEvent = z.infer<typeof LiveEventSchema>;

/** `GET /v1/runs/:id` plus the seq of the last event the snapshot includes. */
export const LiveRunSnapshotSchema = RunSchema.extend({ lastSeq: z.number().int() });

/** Messages of the `GET /v1/runs/:id/live` WebSocket: one snapshot, then events in seq order. */
export const LiveMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('snapshot'), run: LiveRunSnapshotSchema }),
  z.object({ type: z.literal('event'), event: LiveEventSchema }),
]);
export type LiveMessage = z.infer<typeof LiveMessageSchema>;

/** `GET /v1/runs/usage`: what the org ran in a time range, counted from its runs (the dashboard's home card). */
export const RunUsageQuerySchema = RunTimeRangeSchema;
export const RunUsageAnswerSchema = z.object({
  since: z.string().nullable().describe('The range asked for (ISO-8601), as given.'),
  until: z.string().nullable(),
  runs: z.number().int().describe('Top-level runs created in the range (test runs included).'),
  testRuns: z.number().int().describe('Of those, test runs of a draft.'),
  steps: z.number().int().describe('Step attempts of those runs (and of their for_each iterations) that started and ended.'),
  stepMs: z.number().describe('Their time: the sum of finishedAt − startedAt (ms). Steps still running or waiting are not counted yet; an approval counts its wait once decided.'),
});
export type RunUsage = z.infer<typeof RunUsageAnswerSchema>;
