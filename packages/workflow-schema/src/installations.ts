import { z } from 'zod';
import { SecretNameSchema } from './secrets';
import { InstallationSchema } from './templates';
import { WorkflowDiffSchema } from './workflow-admin';

/** A place the user's workflow and the new template version changed differently (`path`: `nodes.ID.config.field`, `settings.field`, or `nodes.ID` for a removed node). */
export const UpgradeConflictSchema = z.object({
  path: z.string(),
  nodeId: z.string().optional(),
  base: z.unknown().describe('The value in the pinned template version (absent: not there).'),
  ours: z.unknown().describe("The value in the user's workflow."),
  theirs: z.unknown().describe('The value in the new template version.'),
});

/** A newer public version of the installation's template: what changed since the pinned one, and where it meets the user's edits. */
export const InstallationUpgradeSchema = z.object({
  version: z.number().int(),
  templateVersionId: z.string().uuid(),
  notes: z.string(),
  diff: WorkflowDiffSchema.describe('The semantic diff between the pinned template version and this one.'),
  conflicts: z.array(UpgradeConflictSchema).describe("The three-way merge's conflicts with the user's current workflow: each needs a resolution."),
  newCredentials: z.array(z.string()).describe('Credential slots this version adds: map each in `credentials` when upgrading.'),
});

export const InstallationDetailSchema = InstallationSchema.extend({
  templateSlug: z.string(),
  templateName: z.string(),
  version: z.number().int().describe('The pinned template version.'),
  upgrade: InstallationUpgradeSchema.nullable().describe('null: the pinned version is the newest public one.'),
});

export const UpgradeInstallationBodySchema = z.strictObject({
  version: z.number().int().min(1).optional().describe("Default: the template's public version."),
  resolutions: z.record(z.string().max(300), z.enum(['ours', 'theirs'])).optional().describe('{ conflictPath: "ours" | "theirs" }: which side each conflict takes.'),
  credentials: z.record(z.string().max(64), SecretNameSchema).optional().describe('{ SLOT: secretName } for slots the new version adds.'),
});

export type InstallationDetail = z.infer<typeof InstallationDetailSchema>;
export type InstallationUpgrade = z.infer<typeof InstallationUpgradeSchema>;
export type UpgradeInstallationBody = z.infer<typeof UpgradeInstallationBodySchema>;
