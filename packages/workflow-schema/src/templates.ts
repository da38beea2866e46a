import { z } from 'zod';
import { IssueSchema } from './errors';
import { SECRET_NAME_PATTERN } from './secrets';

/** Where a template stands in review; only `published` templates are in the public gallery. */
export const TEMPLATE_STATUSES = ['draft', 'pending', 'approved', 'rejected', 'published', 'unpublished'] as const;
export const TemplateStatusSchema = z.enum(TEMPLATE_STATUSES);
export type TemplateStatus = z.infer<typeof TemplateStatusSchema>;

/** What changes a template's status: the creator submits, a platform moderator does the rest. */
export const MODERATION_ACTIONS = ['submit', 'approve', 'reject', 'publish', 'unpublish'] as const;
export type ModerationAction = (typeof MODERATION_ACTIONS)[number];

const UUID_LIKE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const TemplateSlugSchema = z
  .string()
  .regex(/^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/, 'lowercase letters, digits and dashes (1 to 64), not starting or ending with a dash')
  .refine((s) => !UUID_LIKE.test(s), 'a slug cannot look like an id')
  .describe('The URL name of the template, unique on the platform.');
export const TemplateTagSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{0,31}$/, 'lowercase letters, digits and dashes (up to 32)');
const SecretNameSchema = z.string().regex(SECRET_NAME_PATTERN, `a secret name (${SECRET_NAME_PATTERN.source})`);

export const SlotDescriptionSchema = z.strictObject({
  description: z.string().max(500).optional(),
  kind: z.string().regex(/^[a-z0-9_]{1,64}$/, 'lowercase letters, digits and underscores, e.g. slack_bot_token').optional(),
});
const SlotDescriptionsSchema = z
  .record(SecretNameSchema, SlotDescriptionSchema)
  .describe('What each secret the workflow reads is, keyed by its name: each becomes a credential slot the installer maps to one of their secrets.');

export const PublishTemplateBodySchema = z.strictObject({
  workflowVersionId: z.string().uuid().describe("A published version of one of the org's workflows: its definition (never its secrets) becomes version 1."),
  slug: TemplateSlugSchema,
  name: z.string().trim().min(1).max(120),
  summary: z.string().trim().min(1).max(300),
  readme: z.string().max(50_000).optional().describe('Markdown.'),
  tags: z.array(TemplateTagSchema).max(10).optional(),
  category: z.string().regex(/^[a-z0-9-]{1,32}$/).optional(),
  credentials: SlotDescriptionsSchema.optional(),
});
export type PublishTemplateBody = z.infer<typeof PublishTemplateBodySchema>;

export const TemplateVersionBodySchema = z.strictObject({
  workflowVersionId: z.string().uuid(),
  notes: z.string().max(5_000).optional().describe('Release notes.'),
  credentials: SlotDescriptionsSchema.optional().describe("Slot descriptions; a slot not described here keeps the previous version's."),
});
export type TemplateVersionBody = z.infer<typeof TemplateVersionBodySchema>;

export const ModerationBodySchema = z
  .strictObject({
    action: z.enum(['approve', 'reject', 'publish', 'unpublish']),
    reason: z.string().trim().min(1).max(2_000).optional(),
  })
  .refine((b) => b.action !== 'reject' || b.reason !== undefined, { message: 'a rejection needs a reason', path: ['reason'] });
export type ModerationBody = z.infer<typeof ModerationBodySchema>;

export const GALLERY_SORTS = ['installs', 'newest', 'relevance'] as const;
export const GalleryQuerySchema = z.object({
  q: z.string().trim().min(1).max(200).optional().describe('Full-text search over name, summary, tags and readme.'),
  tag: TemplateTagSchema.optional(),
  sort: z.enum(GALLERY_SORTS).optional().describe('Default: relevance with q, installs without.'),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(300).optional(),
});
export type GalleryQuery = z.infer<typeof GalleryQuerySchema>;

export const IdOrSlugParamSchema = z.object({ idOrSlug: z.string().min(1).max(64) });

export const CredentialSlotSchema = z.object({ name: z.string(), description: z.string(), kind: z.string() });
export const CreatorSchema = z.object({ handle: z.string(), name: z.string() }).nullable();

export const GalleryItemSchema = z.object({
  id: z.string().uuid(),
  slug: z.string(),
  name: z.string(),
  summary: z.string(),
  tags: z.array(z.string()),
  installs: z.number().int(),
  creator: CreatorSchema,
  latestVersion: z.number().int().nullable().describe('The published version installs get by default.'),
});
export type GalleryItem = z.infer<typeof GalleryItemSchema>;

export const TemplateVersionViewSchema = z.object({
  id: z.string().uuid(),
  version: z.number().int(),
  notes: z.string(),
  credentials: z.array(CredentialSlotSchema),
  domains: z.array(z.string()),
  integrations: z.array(z.string()),
  createdAt: z.string(),
});

export const TemplateDetailSchema = GalleryItemSchema.extend({
  readme: z.string(),
  category: z.string(),
  publishedAt: z.string().nullable(),
  domains: z.array(z.string()).describe('Hosts the published version calls (literal http_request URLs).'),
  integrations: z.array(z.string()),
  credentials: z.array(CredentialSlotSchema).describe('The slots an installer maps to their secrets.'),
  versions: z.array(TemplateVersionViewSchema),
});


/** A template as its creator and the moderators see it: status, and every version with its warnings. */
export const ManagedTemplateSchema = GalleryItemSchema.pick({ id: true, slug: true, name: true, summary: true, tags: true, installs: true }).extend({
  status: TemplateStatusSchema,
  rejectionReason: z.string().nullable(),
  latestVersion: z.number().int().nullable(),
  publicVersion: z.number().int().nullable(),
  versions: z.array(TemplateVersionViewSchema.extend({ warnings: z.array(IssueSchema) })),
});

export const CreateInstallationBodySchema = z.strictObject({
  templateId: z.string().uuid(),
  version: z.number().int().min(1).optional().describe('Default: the version the gallery shows.'),
  credentials: z.record(z.string().max(64), SecretNameSchema).optional().describe('{ SLOT: secretName }: one of your secrets for each credential slot.'),
  name: z.string().trim().min(1).max(200).optional().describe("The new workflow's name (default: the template's)."),
});
export type CreateInstallationBody = z.infer<typeof CreateInstallationBodySchema>;

export const InstallationSchema = z.object({
  id: z.string().uuid(),
  workflowId: z.string().uuid(),
  templateId: z.string().uuid(),
  templateVersionId: z.string().uuid(),
  name: z.string(),
  credentials: z.record(z.string(), z.string()),
  createdAt: z.string(),
});

export const ProfileSchema = z.object({
  handle: z.string(),
  name: z.string(),
  bio: z.string(),
  installs: z.number().int().describe('Installs of all their published templates.'),
  templates: z.array(GalleryItemSchema),
});

export const ModerationQueueQuerySchema = z.object({
  status: TemplateStatusSchema.default('pending'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().uuid().optional(),
});
export type ModerationQueueQuery = z.infer<typeof ModerationQueueQuerySchema>;

/** A template in the moderators' queue: its review fields, without the versions. */
export const QueuedTemplateSchema = ManagedTemplateSchema.omit({ versions: true }).extend({ orgId: z.string().uuid(), updatedAt: z.string() });
