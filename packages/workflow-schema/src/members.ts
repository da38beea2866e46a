import { z } from 'zod';
import { RoleSchema } from './access';

/** POST /v1/orgs: a new org; the signed-in creator is its owner. */
export const CreateOrgBodySchema = z.strictObject({
  name: z.string().trim().min(1).max(100),
  /** Lower-case letters, digits and dashes; default: from the name (a suffix is added when taken). */
  slug: z.string().regex(/^[a-z0-9][a-z0-9-]{1,39}$/, 'lower-case letters, digits and dashes, 2–40 characters').optional(),
});
export type CreateOrgBody = z.infer<typeof CreateOrgBodySchema>;

export const OrgSchema = z.object({ id: z.string(), slug: z.string(), name: z.string(), role: RoleSchema });

export const MemberSchema = z.object({
  userId: z.string(),
  email: z.string(),
  name: z.string().nullable(),
  role: RoleSchema,
  joinedAt: z.string(),
});
export type Member = z.infer<typeof MemberSchema>;

export const MemberParamsSchema = z.object({ userId: z.string().uuid() });
export const UpdateMemberBodySchema = z.strictObject({ role: RoleSchema });

export const CreateInvitationBodySchema = z.strictObject({
  email: z.string().trim().max(320).email(),
  role: RoleSchema,
});
export type CreateInvitationBody = z.infer<typeof CreateInvitationBodySchema>;

export const InvitationSchema = z.object({
  id: z.string(),
  email: z.string(),
  role: RoleSchema,
  createdAt: z.string(),
  expiresAt: z.string(),
});
export type InvitationView = z.infer<typeof InvitationSchema>;

/** GET /v1/me/invitations: a pending invitation addressed to the signed-in user's email, with the org it opens. */
export const MyInvitationSchema = InvitationSchema.extend({ org: z.object({ id: z.string(), slug: z.string(), name: z.string() }) });
export type MyInvitation = z.infer<typeof MyInvitationSchema>;

/** DELETE /v1/orgs/:id: the org's slug, typed again, confirms that the caller means this org. */
export const DeleteOrgBodySchema = z.strictObject({ confirm: z.string().min(1).max(100) });
export type DeleteOrgBody = z.infer<typeof DeleteOrgBodySchema>;

/** The answer of DELETE /v1/orgs/:id: what was done at once (the rest is kept until a purge, planned). */
export const OrgDeletionSchema = z.object({
  id: z.string(),
  slug: z.string(),
  deletedAt: z.string(),
  keysRevoked: z.number().int(),
  membersRemoved: z.number().int(),
  runsCancelled: z.number().int(),
  secretsDestroyed: z.number().int(),
});
export type OrgDeletion = z.infer<typeof OrgDeletionSchema>;
