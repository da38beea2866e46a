import { z } from 'zod';
import { RunStatusSchema, type RunStatus } from './status';

/** `GET /v1/runs/:id/steps/:stepId/iterations`: which step, of which run. */
export const IterationsParamsSchema = z.object({ id: z.string().uuid(), stepId: z.string().uuid() });

export const IterationsQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  /** The previous page's `nextCursor`: the item index the page starts after. */
  cursor: z.coerce.number().int().min(-1).optional(),
  /** Only the iterations in this status. */
  status: RunStatusSchema.optional(),
});

/** One item of a for_each step: the iteration run that ran the body for it (open it with GET /v1/runs/{runId}). */
export const IterationSchema = z.object({
  runId: z.string(),
  index: z.number().int(),
  status: RunStatusSchema,
  /** The iteration run's error: which body node failed, and why. */
  error: z.unknown().nullable(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
});
export type Iteration = z.infer<typeof IterationSchema>;

export const IterationsAnswerSchema = z.object({
  items: z.array(IterationSchema),
  nextCursor: z.string().nullable(),
  /** Every iteration of the step by status, over all pages (items not started yet have no iteration run). */
  counts: z.object(Object.fromEntries(RunStatusSchema.options.map((s) => [s, z.number().int()])) as Record<RunStatus, z.ZodNumber>),
  /** How many items the step has. A loop whose pure body ran in place has none listed: its output holds each item's result. */
  itemsTotal: z.number().int(),
});
export type IterationsAnswer = z.infer<typeof IterationsAnswerSchema>;

/** A for_each step's progress over its items (steps of other types have none). */
export const StepItemsSchema = z.object({ total: z.number().int(), started: z.number().int(), done: z.number().int(), failed: z.number().int() });
