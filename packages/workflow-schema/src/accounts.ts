import { z } from 'zod';
import { PERMISSIONS, RoleSchema, type Permission } from './access';

/** Who did something: an API key or a signed-in user. */
export const ActorSchema = z.object({
  type: z.enum(['api_key', 'user']),
  id: z.string(),
});
export type Actor = z.infer<typeof ActorSchema>;

export const OrgSummarySchema = z.object({ id: z.string(), slug: z.string(), name: z.string() });

/** GET /v1/me. `user` is absent for an API key; `orgs` lists the orgs the caller can act in (a key: its own; a user: every membership). */
export const MeSchema = z.object({
  user: z
    .object({
      id: z.string(),
      email: z.string(),
      name: z.string().nullable(),
      /** Runs the installation (template moderation), whatever the role in this org (WEFT_PLATFORM_ADMINS). */
      platformAdmin: z.boolean().optional(),
    })
    .optional(),
  org: OrgSummarySchema,
  role: RoleSchema,
  permissions: z.array(z.enum(Object.keys(PERMISSIONS) as [Permission, ...Permission[]])),
  orgs: z.array(OrgSummarySchema.extend({ role: RoleSchema })).optional(),
  /** The signed-in session (absent for an API key): `csrfToken` goes in the `X-Weft-CSRF` header of every mutation. */
  session: z.object({ id: z.string(), csrfToken: z.string() }).optional(),
  /** The API key the request was made with (absent for a session). */
  apiKey: z.object({ id: z.string(), name: z.string(), prefix: z.string(), expiresAt: z.string().nullable() }).optional(),
});
export type Me = z.infer<typeof MeSchema>;

export const CreateApiKeyBodySchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  role: RoleSchema,
  /** ISO-8601 time; the key stops working then. Absent: no expiry (or the creating key's, when it has one). */
  expiresAt: z.string().datetime({ offset: true }).optional(),
});
export type CreateApiKeyBody = z.infer<typeof CreateApiKeyBodySchema>;

/** A key's metadata: never the key itself nor its hash. */
export const ApiKeySchema = z.object({
  id: z.string(),
  name: z.string(),
  role: z.string(),
  /** The key's first characters, to recognise it. */
  prefix: z.string(),
  createdAt: z.string(),
  expiresAt: z.string().nullable(),
  /** Last time the key authenticated a request, to the minute (written at most once a minute). */
  lastUsedAt: z.string().nullable(),
  createdBy: ActorSchema.nullable(),
});
export type ApiKeyView = z.infer<typeof ApiKeySchema>;

/** The answer of POST /v1/api-keys: the one time `key` is shown. */
export const CreatedApiKeySchema = z.object({
  id: z.string(),
  name: z.string(),
  role: RoleSchema,
  prefix: z.string(),
  key: z.string().describe('The API key. Shown only in this answer: store it now.'),
  createdAt: z.string(),
  expiresAt: z.string().nullable(),
});
export type CreatedApiKey = z.infer<typeof CreatedApiKeySchema>;

export const AuditLogQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  /** `nextCursor` of the previous page. */
  cursor: z.string().uuid().optional(),
  /** Only entries of this action (e.g. `api_key.created`). */
  action: z.string().min(1).max(100).optional(),
  /** Only entries by this actor id (an API key id or a user id). */
  actor: z.string().min(1).max(100).optional(),
  /** Only entries at or after this time (ISO-8601). */
  from: z.string().datetime({ offset: true }).optional(),
  /** Only entries before this time (ISO-8601). */
  to: z.string().datetime({ offset: true }).optional(),
});
export type AuditLogQuery = z.infer<typeof AuditLogQuerySchema>;

export const AuditEntrySchema = z.object({
  id: z.string(),
  action: z.string(),
  /** Who acted; null for the system (e.g. the bootstrap at startup). */
  actor: z.object({ type: z.string(), id: z.string().nullable() }),
  target: z.object({ type: z.string(), id: z.string().nullable() }),
  at: z.string(),
  /** Names and ids: never a secret's value nor a key. */
  data: z.record(z.string(), z.unknown()),
});
export type AuditEntry = z.infer<typeof AuditEntrySchema>;
