import { FlagKeySchema } from '@weft/flags';
import { z } from 'zod';

export const FlagStateSchema = z.object({
  key: FlagKeySchema,
  description: z.string(),
  enabled: z.boolean(),
  source: z.enum(['org', 'default', 'code']).describe('Where the value comes from: the org\'s own value, the default set by an admin, or the default declared in code.'),
});

export const FlagOverviewSchema = z.object({
  key: FlagKeySchema,
  description: z.string(),
  enabled: z.boolean().describe('The default for orgs without a value of their own.'),
  source: z.enum(['default', 'code']),
  orgs: z.array(z.object({ orgId: z.string(), enabled: z.boolean() })).describe('Orgs with a value of their own.'),
});

export const SetFlagBodySchema = z.strictObject({
  enabled: z.boolean().nullable().describe('true or false; null removes the value (back to the default).'),
});

export const FlagParamsSchema = z.object({ key: FlagKeySchema });
export const OrgFlagParamsSchema = z.object({ orgId: z.uuid(), key: FlagKeySchema });
