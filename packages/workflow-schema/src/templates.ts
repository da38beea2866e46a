import { z } from 'zod';
import { IssueSchema } from './errors';
import { CONNECTION_NAME_PATTERN } from './connections';
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
export const TemplateCategorySchema = z.string().regex(/^[a-z0-9-]{1,32}$/, 'lowercase letters, digits and dashes (up to 32)');
export const TemplateTagSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{0,31}$/, 'lowercase letters, digits and dashes (up to 32)');

export const SlotDescriptionSchema = z.strictObject({
  description: z.string().max(500).optional(),
  kind: z.string().regex(/^[a-z0-9_]{1,64}$/, 'lowercase letters, digits and underscores, e.g. slack_bot_token').optional(),
});
/** A credential slot's name: a secret the workflow reads, or a connection a node names. */
const SlotNameSchema = z.string().refine((n) => SECRET_NAME_PATTERN.test(n) || CONNECTION_NAME_PATTERN.test(n), 'a secret name (A-Z, 0-9 and _) or a connection name (letters, digits, _ and -, starting with a letter)');

const SlotDescriptionsSchema = z
  .record(SlotNameSchema, SlotDescriptionSchema)
  .describe('What each secret the workflow reads (and each connection its nodes name) is, keyed by its name: each becomes a credential slot the installer maps to one of their secrets (connections: one of their connections of the same provider).');

export const PublishTemplateBodySchema = z.strictObject({
  workflowVersionId: z.string().uuid().describe("A published version of one of the org's workflows: its definition (never its secrets) becomes version 1."),
  slug: TemplateSlugSchema,
  name: z.string().trim().min(1).max(120),
  summary: z.string().trim().min(1).max(300),
  readme: z.string().max(50_000).optional().describe('Markdown.'),
  tags: z.array(TemplateTagSchema).max(10).optional(),
  category: TemplateCategorySchema.optional(),
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

export const GALLERY_SORTS = ['installs', 'trending', 'newest', 'relevance'] as const;
export type GallerySort = (typeof GALLERY_SORTS)[number];
export const GalleryQuerySchema = z.object({
  q: z.string().trim().min(1).max(200).optional().describe('Full-text search over name, summary, tags and readme.'),
  tag: TemplateTagSchema.optional(),
  category: TemplateCategorySchema.optional(),
  integration: z.string().regex(/^[a-z0-9_]{1,64}$/).optional().describe('An integration node type the published version uses, e.g. slack_post_message.'),
  sort: z.enum(GALLERY_SORTS).optional().describe('Default: relevance with q, installs without. trending: installs of the last 7 days.'),
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
  category: z.string(),
  integrations: z.array(z.string()).describe('Integration node types of the published version.'),
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
  definition: z.unknown().describe('The published version\'s workflow definition (it names credential slots, never a value): the graph preview and the inputs form read it.'),
});
export type TemplateDetail = z.infer<typeof TemplateDetailSchema>;


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
  credentials: z.record(z.string().max(64), SlotNameSchema).optional().describe('{ SLOT: name }: one of your secrets for each credential slot (a connection of the slot\'s provider for an `oauth2:<provider>` slot).'),
  name: z.string().trim().min(1).max(200).optional().describe("The new workflow's name (default: the template's)."),
  source: z.string().regex(/^[a-z0-9.-]{1,100}$/).optional().describe('Where the installer came from (gallery, profile, share, search, an outside host): counted in the template\'s analytics.'),
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

/** A template's numbers: views and installs (by source), runs of installed copies and how many succeeded. */
export const TemplateStatsSchema = z.object({
  views: z.number().int(),
  installs: z.number().int(),
  runs: z.number().int(),
  succeeded: z.number().int(),
  failed: z.number().int(),
  successRate: z.number().nullable().describe('succeeded / (succeeded + failed), null before any run ended.'),
  sources: z.array(z.object({ source: z.string(), views: z.number().int(), installs: z.number().int() })),
});
export type TemplateStats = z.infer<typeof TemplateStatsSchema>;

export const ProfileLinkSchema = z.strictObject({ label: z.string().trim().min(1).max(60), url: z.string().url().max(500).regex(/^https:\/\//, 'an https URL') });
export const ProfileSchema = z.object({
  handle: z.string(),
  name: z.string(),
  bio: z.string(),
  avatarUrl: z.string().describe("An https image URL, or '' (show initials)."),
  links: z.array(ProfileLinkSchema),
  installs: z.number().int().describe('Installs of all their published templates.'),
  templates: z.array(GalleryItemSchema),
  stats: TemplateStatsSchema.describe('Views, installs, runs of installed copies and success rate over all their published templates.'),
});

export const ModerationQueueQuerySchema = z.object({
  status: TemplateStatusSchema.default('pending'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().uuid().optional(),
});
export type ModerationQueueQuery = z.infer<typeof ModerationQueueQuerySchema>;

/** A template in the moderators' queue: its review fields, without the versions. */
export const QueuedTemplateSchema = ManagedTemplateSchema.omit({ versions: true }).extend({ orgId: z.string().uuid(), updatedAt: z.string() });

export type Profile = z.infer<typeof ProfileSchema>;
export type ManagedTemplate = z.infer<typeof ManagedTemplateSchema>;
export type QueuedTemplate = z.infer<typeof QueuedTemplateSchema>;
export type Installation = z.infer<typeof InstallationSchema>;

/** `PUT /v1/profile`: the caller org's creator profile (fields left out stay). */
export const UpdateProfileBodySchema = z.strictObject({
  name: z.string().trim().min(1).max(120).optional(),
  bio: z.string().max(1_000).optional(),
  avatarUrl: z.union([z.literal(''), z.string().url().max(500).regex(/^https:\/\//, 'an https URL')]).optional(),
  links: z.array(ProfileLinkSchema).max(5).optional(),
});
export type UpdateProfileBody = z.infer<typeof UpdateProfileBodySchema>;

/** `POST /v1/templates/check`: the pre-publish checks of a workflow version, nothing stored. */
export const TemplateCheckBodySchema = z.strictObject({
  workflowVersionId: z.string().uuid(),
  credentials: SlotDescriptionsSchema.optional(),
});
export type TemplateCheckBody = z.infer<typeof TemplateCheckBodySchema>;
export const TemplateCheckSchema = z.object({
  errors: z.array(IssueSchema).describe('Refusals: publishing this version answers 400 with these.'),
  warnings: z.array(IssueSchema),
  credentials: z.array(CredentialSlotSchema),
  domains: z.array(z.string()),
  integrations: z.array(z.string()),
});
export type TemplateCheck = z.infer<typeof TemplateCheckSchema>;

/** `POST /v1/templates/:idOrSlug/views`: one page view, counted per day and source (nothing about the visitor). */
export const TemplateViewBodySchema = z.strictObject({ source: z.string().regex(/^[a-z0-9.-]{1,100}$/).default('direct') });


/** A template as a moderator reviews it: the managed view plus what the gallery would show. */
export const ReviewTemplateSchema = ManagedTemplateSchema.extend({ readme: z.string(), category: z.string(), orgId: z.string().uuid(), definition: z.unknown() });
