import { z } from 'zod';

/** Node ids are identifiers so that `steps.<id>.output` works in JMESPath without quoting. */
export const NodeIdSchema = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, 'must match ^[A-Za-z_][A-Za-z0-9_]{0,63}$');

export const PositionSchema = z.object({ x: z.number(), y: z.number() });

export const EdgeSchema = z.object({
  id: z.string().optional(),
  source: NodeIdSchema,
  target: NodeIdSchema,
  /** Named output of a branching node: "true"/"false" (branch), "approved"/"rejected" (approval). */
  sourceHandle: z.string().optional(),
});
export type Edge = z.infer<typeof EdgeSchema>;

/** A node as written in a definition; its config is checked against its type's schema by the engine. */
export const NodeSchema = z.object({
  id: NodeIdSchema,
  type: z.string().min(1),
  config: z.record(z.string(), z.unknown()).default({}),
  position: PositionSchema.optional(),
  /** Free-form label shown on the canvas. */
  name: z.string().max(200).optional(),
});
export type Node = z.infer<typeof NodeSchema>;

export const GraphSchema = z.object({
  nodes: z.array(NodeSchema),
  edges: z.array(EdgeSchema).default([]),
});
export type Graph = z.infer<typeof GraphSchema>;

/** Kinds of personal data the executor can redact (packages/pii). */
export const PiiKindSchema = z.enum(['email', 'phone', 'card', 'iban', 'national_id']);
export type PiiKind = z.infer<typeof PiiKindSchema>;

/**
 * Redaction of personal data in what steps store (outputs, errors, log lines), before it is
 * written: `redact` for every executed node, `nodes.<id>.redact` for one node (its own list, or
 * `false`: nothing redacted for it). Found values are replaced by `[redacted:<kind>]`.
 */
export const PiiSettingsSchema = z.object({
  redact: z.array(PiiKindSchema).max(5).optional(),
  nodes: z.record(NodeIdSchema, z.object({ redact: z.union([z.array(PiiKindSchema).max(5), z.literal(false)]) })).optional(),
});
export type PiiSettings = z.infer<typeof PiiSettingsSchema>;

export const SettingsSchema = z.object({
  /** Whole-run timeout in milliseconds. */
  timeoutMs: z.number().int().positive().max(30 * 24 * 3600 * 1000).optional(),
  /** JMESPath over the run context giving the run's output. */
  output: z.string().min(1).optional(),
  /**
   * A workflow of the same org started (its latest published version) when a run of this one
   * fails, with the failed run's summary as inputs. Checked at publish.
   */
  errorWorkflowId: z.string().uuid().optional(),
  /** Personal data redacted from stored outputs and logs, per workflow and per node (optional). */
  pii: PiiSettingsSchema.optional(),
});
export type Settings = z.infer<typeof SettingsSchema>;

export const WorkflowDefinitionSchema = GraphSchema.extend({
  settings: SettingsSchema.optional(),
});
export type WorkflowDefinition = z.infer<typeof WorkflowDefinitionSchema>;

/** A JSON value (what inputs, outputs and configs are made of). */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
/**
 * A JSON value in an API body. The body parser yields nothing but JSON (no undefined, functions or NaN) and
 * bounds its depth, so there is nothing left to check, and nothing to recurse into: a deep value costs no stack
 * here (a recursive Zod union overflowed at ~5,000 levels). The API description calls it "any value", which
 * every client generator can express (a self-referencing union is not: openapi-typescript's output for one
 * does not compile).
 */
export const JsonSchema = z.custom<Json>(() => true).meta({ description: 'Any JSON value' });
