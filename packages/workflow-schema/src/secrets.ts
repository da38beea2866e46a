import { z } from 'zod';

/** A secret's name: what `{{ secrets.NAME }}` reads. */
export const SECRET_NAME_PATTERN = /^[A-Z_][A-Z0-9_]{0,63}$/;

export const SecretNameSchema = z
  .string()
  .regex(SECRET_NAME_PATTERN, 'must be 1 to 64 characters of A-Z, 0-9 and _, not starting with a digit (e.g. GITHUB_TOKEN)');

/** At least 4 characters: shorter values could not be masked in outputs and logs. 64 KiB at most. */
export const SecretValueSchema = z
  .string()
  .min(4, 'must be at least 4 characters (shorter values cannot be masked reliably)')
  .max(65_536, 'must be at most 65536 characters');

export const CreateSecretBodySchema = z.strictObject({
  name: SecretNameSchema,
  value: SecretValueSchema,
  description: z.string().max(1000).optional(),
});
export type CreateSecretBody = z.infer<typeof CreateSecretBodySchema>;

export const UpdateSecretBodySchema = z
  .strictObject({
    /** A new value becomes a new version; the old versions stay encrypted as they were. */
    value: SecretValueSchema.optional(),
    description: z.string().max(1000).optional(),
  })
  .refine((b) => b.value !== undefined || b.description !== undefined, { message: 'give value, description or both', path: ['value'] });
export type UpdateSecretBody = z.infer<typeof UpdateSecretBodySchema>;

/** A secret as the API shows it: metadata only, never the value. */
export const SecretSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  /** Current version (1 at creation, +1 per new value). */
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
  lastUsed: z
    .object({
      at: z.string().describe('When a step last resolved it (ISO-8601).'),
      version: z.number().int().describe('The version that step read.'),
      runId: z.string(),
      workflowId: z.string().nullable(),
      workflowName: z.string().nullable(),
    })
    .optional()
    .describe('The last step that resolved the secret (from the `secret.used` audit entries); absent until one has.'),
});
export type Secret = z.infer<typeof SecretSchema>;

export const SecretNameParamSchema = z.object({ name: SecretNameSchema });

export const ListSecretsQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  /** The last name of the previous page (secrets are listed by name). */
  cursor: SecretNameSchema.optional(),
});
