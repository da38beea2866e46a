import { z } from 'zod';
import { EdgeSchema, JsonSchema } from './definition';
import { ListQuerySchema } from './api';
import { RunStatusSchema } from './status';

/**
 * Managing workflows (issue 16): search, tags, rename, enable/disable, duplicate, delete, the
 * semantic diff between two versions, rollback, and the run statistics the dashboard lists.
 */

/** A tag: lower-case words joined by dashes, so `?tag=` matches without case rules. */
export const WorkflowTagSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'must match ^[a-z0-9][a-z0-9-]{0,39}$ (lower-case letters, digits, dashes)');

export const WorkflowTagsSchema = z.array(WorkflowTagSchema).max(20).refine((t) => new Set(t).size === t.length, 'tags must be distinct');

/** `GET /v1/workflows`: keyset pages, newest first, narrowed by name, tag and state. */
export const ListWorkflowsQuerySchema = ListQuerySchema.extend({
  q: z.string().trim().min(1).max(200).optional().describe('Case-insensitive text contained in the name'),
  tag: WorkflowTagSchema.optional().describe('Only workflows carrying this tag'),
  enabled: z.enum(['true', 'false']).transform((v) => v === 'true').optional().describe('Only enabled (true) or disabled (false) workflows'),
});
export type ListWorkflowsQuery = z.infer<typeof ListWorkflowsQuerySchema>;

/** `PATCH /v1/workflows/:id`: any of these; the draft has its own route. */
export const UpdateWorkflowBodySchema = z
  .object({
    name: z.string().trim().min(1).max(200).optional(),
    description: z.string().max(5000).optional(),
    tags: WorkflowTagsSchema.optional(),
    enabled: z.boolean().optional().describe('A disabled workflow starts no run: API runs answer 409, webhooks 409, schedules skip their fires'),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), { message: 'give at least one of name, description, tags, enabled', path: [] });
export type UpdateWorkflowBody = z.infer<typeof UpdateWorkflowBodySchema>;

/** `POST /v1/workflows/:id/duplicate`: a new workflow whose draft is the source's draft (no versions). */
export const DuplicateWorkflowBodySchema = z.object({ name: z.string().trim().min(1).max(200).optional() });

/** A side of a diff: a published version number, or the current draft. */
const DiffSideSchema = z.union([z.literal('draft'), z.coerce.number().int().min(1)]);
export const VersionDiffQuerySchema = z.object({
  from: DiffSideSchema.describe('A version number, or `draft`'),
  to: DiffSideSchema.describe('A version number, or `draft`'),
});

/** A change at one nested path of a config or the settings (`headers.Authorization`, `items[2]`). */
export const FieldChangeSchema = z.object({
  path: z.string(),
  change: z.enum(['added', 'removed', 'changed']),
  from: JsonSchema.optional(),
  to: JsonSchema.optional(),
});
export type FieldChange = z.infer<typeof FieldChangeSchema>;

export const DiffNodeSchema = z.object({ id: z.string(), type: z.string() });

export interface NodeChange {
  id: string;
  type: string;
  /** Set when the node's type changed. */
  fromType?: string | undefined;
  /** Changes of `config` (paths relative to it), and of `name`. */
  fields: FieldChange[];
  /** A for_each body: the same diff, one level down. */
  body?: GraphDiff | undefined;
}
export interface GraphDiff {
  nodes: { added: z.infer<typeof DiffNodeSchema>[]; removed: z.infer<typeof DiffNodeSchema>[]; changed: NodeChange[] };
  edges: { added: z.infer<typeof EdgeSchema>[]; removed: z.infer<typeof EdgeSchema>[] };
}

export const NodeChangeSchema: z.ZodType<NodeChange> = z.lazy(() =>
  z.object({
    id: z.string(),
    type: z.string(),
    fromType: z.string().optional(),
    fields: z.array(FieldChangeSchema),
    body: GraphDiffSchema.optional(),
  }),
).meta({ id: 'NodeChange', description: 'A node changed between two definitions: its config fields old → new, and a loop body diffed as a graph' });
export const GraphDiffSchema: z.ZodType<GraphDiff> = z.lazy(() =>
  z.object({
    nodes: z.object({ added: z.array(DiffNodeSchema), removed: z.array(DiffNodeSchema), changed: z.array(NodeChangeSchema) }),
    edges: z.object({ added: z.array(EdgeSchema), removed: z.array(EdgeSchema) }),
  }),
).meta({ id: 'GraphDiff', description: 'Nodes added, removed and changed (by id), edges added and removed (by source, target, handle)' });

/** The semantic difference between two definitions (positions are layout, not meaning: left out). */
export const WorkflowDiffSchema = z.object({
  nodes: z.object({ added: z.array(DiffNodeSchema), removed: z.array(DiffNodeSchema), changed: z.array(NodeChangeSchema) }),
  edges: z.object({ added: z.array(EdgeSchema), removed: z.array(EdgeSchema) }),
  settings: z.array(FieldChangeSchema),
  /** Nothing but layout differs. */
  same: z.boolean(),
});
export type WorkflowDiff = z.infer<typeof WorkflowDiffSchema>;

export const VersionDiffAnswerSchema = WorkflowDiffSchema.extend({
  from: z.union([z.literal('draft'), z.number().int()]),
  to: z.union([z.literal('draft'), z.number().int()]),
});

/** `POST /v1/workflows/:id/rollback`: publishes the definition of an older version again, as a new version. */
export const RollbackBodySchema = z.object({ version: z.number().int().min(1) });

/** `GET /v1/workflows/stats?ids=`: what the dashboard's list shows per workflow. */
export const WorkflowStatsQuerySchema = z.object({
  ids: z
    .string()
    .transform((s) => s.split(',').filter(Boolean))
    .pipe(z.array(z.string().uuid()).min(1).max(200))
    .describe('Comma-separated workflow ids (at most 200)'),
  days: z.coerce.number().int().min(1).max(90).default(14),
});
export const WorkflowStatsSchema = z.object({
  workflowId: z.string(),
  lastRun: z.object({ id: z.string(), status: RunStatusSchema, createdAt: z.string() }).nullable(),
  /** One entry per UTC day, oldest first, `days` of them (test runs left out). */
  daily: z.array(z.object({ day: z.string(), succeeded: z.number().int(), failed: z.number().int(), total: z.number().int() })),
});
export type WorkflowStats = z.infer<typeof WorkflowStatsSchema>;
export const WorkflowStatsAnswerSchema = z.object({ items: z.array(WorkflowStatsSchema) });
