import { z } from 'zod';

/** Bounds of an org's retention, in days (docs/operating/retention.md). */
export const RETENTION_DAYS_MIN = 1;
export const RETENTION_DAYS_MAX = 365;
export const RETENTION_DAYS_DEFAULT = 30;

const RetentionDaysSchema = z
  .number()
  .int()
  .min(RETENTION_DAYS_MIN)
  .max(RETENTION_DAYS_MAX)
  .describe('Days the step inputs/outputs and logs of a finished run are kept; then they are cleared and the run stays as a summary');

/** `GET /v1/orgs/:id/settings`. */
export const OrgSettingsSchema = z.object({ orgId: z.string(), retentionDays: RetentionDaysSchema });
export type OrgSettings = z.infer<typeof OrgSettingsSchema>;

/** `PATCH /v1/orgs/:id/settings`. */
export const UpdateOrgSettingsBodySchema = z.object({ retentionDays: RetentionDaysSchema });
export type UpdateOrgSettingsBody = z.infer<typeof UpdateOrgSettingsBodySchema>;
