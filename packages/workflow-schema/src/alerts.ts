import { z } from 'zod';

/**
 * Alert rules (issue 18, "Alerts"): per workflow, a condition over the workflow's recent finished
 * runs (succeeded or failed; cancelled and test runs do not count) opens an incident, which is
 * notified once on one channel; recovery (the first success once the condition no longer holds)
 * resolves it, and is notified when `notifyRecovery` is set.
 */
export const ALERT_CHANNELS = ['email', 'slack', 'webhook'] as const;
export const ALERT_CONDITION_TYPES = ['failure', 'consecutive_failures', 'failure_rate'] as const;

/** Largest `count` of consecutive failures and largest run window of a rate (bounded read per evaluation). */
export const MAX_ALERT_WINDOW_RUNS = 500;
/** Largest time window of a rate, in minutes (7 days). */
export const MAX_ALERT_WINDOW_MINUTES = 7 * 24 * 60;

export const AlertConditionSchema = z
  .discriminatedUnion('type', [
    z.strictObject({ type: z.literal('failure') }).describe('Any failed run opens an incident (while it is open, further failures only count).'),
    z.strictObject({
      type: z.literal('consecutive_failures'),
      count: z.number().int().min(1).max(MAX_ALERT_WINDOW_RUNS).describe('How many of the latest finished runs must all have failed.'),
    }),
    z
      .strictObject({
        type: z.literal('failure_rate'),
        threshold: z.number().gt(0).max(1).describe('Share of failed runs in the window that opens an incident, e.g. 0.5 for 50 %.'),
        windowRuns: z.number().int().min(1).max(MAX_ALERT_WINDOW_RUNS).optional().describe('The window is the latest N finished runs.'),
        windowMinutes: z.number().int().min(1).max(MAX_ALERT_WINDOW_MINUTES).optional().describe('The window is the runs started in the last N minutes that have finished.'),
        minRuns: z.number().int().min(1).max(MAX_ALERT_WINDOW_RUNS).default(1).describe('The rate counts only with at least this many finished runs in the window.'),
      })
      .refine((c) => (c.windowRuns === undefined) !== (c.windowMinutes === undefined), { message: 'give exactly one of windowRuns and windowMinutes', path: ['windowRuns'] }),
  ])
  .describe('When an incident opens: `failure`, `consecutive_failures` (count) or `failure_rate` (threshold over windowRuns or windowMinutes, with minRuns).');
export type AlertCondition = z.infer<typeof AlertConditionSchema>;

const emails = z.array(z.string().email().max(320)).min(1).max(20);
const httpsUrl = z
  .string()
  .url()
  .max(2048)
  .refine((u) => /^https?:\/\//i.test(u), { message: 'must be an http(s) URL' });

/** Where an alert goes. Secrets (the Slack URL, the webhook signing secret) are stored encrypted and never shown back. */
export const AlertChannelInputSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('email'), to: emails.describe('Recipients (1 to 20 addresses).') }),
  z.strictObject({ type: z.literal('slack'), webhookUrl: httpsUrl.describe("A Slack incoming-webhook URL (a secret: stored encrypted, never shown back).") }),
  z.strictObject({
    type: z.literal('webhook'),
    url: httpsUrl.describe('Receives a POST signed with Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature).'),
    secret: z
      .string()
      .regex(/^whsec_[A-Za-z0-9+/=]{24,}$/, 'a Standard Webhooks secret: whsec_ then base64')
      .optional()
      .describe('The signing secret; generated when omitted (then shown once, in the answer to the create).'),
  }),
]);
export type AlertChannelInput = z.infer<typeof AlertChannelInputSchema>;

/** A channel as the API shows it: no secret. */
export const AlertChannelViewSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('email'), to: z.array(z.string()) }),
  z.object({ type: z.literal('slack'), host: z.string().describe('The host of the incoming-webhook URL (the URL itself is a secret).') }),
  z.object({ type: z.literal('webhook'), url: z.string() }),
]);
export type AlertChannelView = z.infer<typeof AlertChannelViewSchema>;

export const CreateAlertRuleBodySchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  condition: AlertConditionSchema,
  channel: AlertChannelInputSchema,
  notifyRecovery: z.boolean().default(true),
  enabled: z.boolean().default(true),
});
export type CreateAlertRuleBody = z.infer<typeof CreateAlertRuleBodySchema>;

export const UpdateAlertRuleBodySchema = z
  .strictObject({
    name: z.string().trim().min(1).max(200).optional(),
    condition: AlertConditionSchema.optional(),
    channel: AlertChannelInputSchema.optional(),
    notifyRecovery: z.boolean().optional(),
    enabled: z.boolean().optional(),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), { message: 'give at least one of name, condition, channel, notifyRecovery, enabled', path: ['name'] });
export type UpdateAlertRuleBody = z.infer<typeof UpdateAlertRuleBodySchema>;

export const AlertRuleSchema = z.object({
  id: z.string(),
  workflowId: z.string(),
  name: z.string(),
  condition: z.record(z.string(), z.unknown()).describe('As given (AlertCondition).'),
  channel: AlertChannelViewSchema,
  notifyRecovery: z.boolean(),
  enabled: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type AlertRuleView = z.infer<typeof AlertRuleSchema>;

export const CreatedAlertRuleSchema = AlertRuleSchema.extend({
  secret: z.string().optional().describe('A generated webhook signing secret: shown here only, once.'),
});

export const ALERT_INCIDENT_STATUSES = ['open', 'resolved'] as const;

export const AlertIncidentSchema = z.object({
  id: z.string(),
  ruleId: z.string(),
  workflowId: z.string(),
  status: z.enum(ALERT_INCIDENT_STATUSES),
  failures: z.number().int().describe('Failed runs since the incident opened (its first failing run included).'),
  firstRunId: z.string(),
  lastRunId: z.string().describe('The latest run the incident saw.'),
  recoveryRunId: z.string().nullable(),
  openedAt: z.string(),
  resolvedAt: z.string().nullable(),
});
export type AlertIncidentView = z.infer<typeof AlertIncidentSchema>;

export const ListAlertIncidentsQuerySchema = z.object({
  workflowId: z.string().uuid().optional(),
  ruleId: z.string().uuid().optional(),
  status: z.enum(ALERT_INCIDENT_STATUSES).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().uuid().optional(),
});

export const ALERT_DELIVERY_KINDS = ['opened', 'recovered', 'test'] as const;
export const ALERT_DELIVERY_STATUSES = ['pending', 'delivered', 'failed'] as const;

export const AlertDeliveryAttemptSchema = z.object({
  attempt: z.number().int(),
  ok: z.boolean(),
  responseCode: z.number().int().nullable().describe('The HTTP status (Slack, webhook) or SMTP reply code; null when no answer came.'),
  error: z.string().nullable(),
  at: z.string(),
});

export const AlertDeliverySchema = z.object({
  id: z.string(),
  ruleId: z.string(),
  incidentId: z.string().nullable(),
  kind: z.enum(ALERT_DELIVERY_KINDS),
  status: z.enum(ALERT_DELIVERY_STATUSES),
  attempts: z.array(AlertDeliveryAttemptSchema),
  createdAt: z.string(),
  deliveredAt: z.string().nullable(),
});
export type AlertDeliveryView = z.infer<typeof AlertDeliverySchema>;

export const AlertTestAnswerSchema = z.object({ deliveryId: z.string().describe('Follow it with GET /v1/alerts/:id/deliveries.') });
