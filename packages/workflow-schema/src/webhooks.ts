import { z } from 'zod';

/** The verification schemes of a webhook (issue 15); `none` must be chosen explicitly. */
export const WEBHOOK_SCHEMES = ['standard-webhooks', 'github', 'stripe', 'header', 'none'] as const;
export type WebhookScheme = (typeof WEBHOOK_SCHEMES)[number];
export const WEBHOOK_MODES = ['async', 'sync'] as const;

/** How long a sync delivery may wait for its run at most (ms): below common proxy timeouts (100 s). */
export const MAX_SYNC_TIMEOUT_MS = 60_000;

const HeaderNameSchema = z
  .string()
  .regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,100}$/, 'a header name (RFC 9110 token)')
  .transform((h) => h.toLowerCase());

export const WebhookVerificationSchema = z
  .strictObject({
    scheme: z.enum(WEBHOOK_SCHEMES).describe('`standard-webhooks` (webhook-id/-timestamp/-signature), `github` (X-Hub-Signature-256), `stripe` (Stripe-Signature), `header` (a shared secret in `header`), `none` (anyone who knows the URL may start runs).'),
    secret: z.string().min(16).max(500).optional().describe('The signing secret (for standard-webhooks `whsec_<base64>`); generated and returned once when omitted.'),
    header: HeaderNameSchema.optional().describe('The header carrying the shared secret (scheme `header`, required there).'),
  })
  .superRefine((v, ctx) => {
    if (v.scheme === 'header' && !v.header) ctx.addIssue({ code: 'custom', path: ['header'], message: 'scheme header needs the header name' });
    if (v.scheme !== 'header' && v.header) ctx.addIssue({ code: 'custom', path: ['header'], message: 'only scheme header takes a header' });
    if (v.scheme === 'none' && v.secret) ctx.addIssue({ code: 'custom', path: ['secret'], message: 'scheme none takes no secret' });
    if (v.scheme === 'standard-webhooks' && v.secret && !/^whsec_[A-Za-z0-9+/]{16,}={0,2}$/.test(v.secret)) {
      ctx.addIssue({ code: 'custom', path: ['secret'], message: 'a Standard Webhooks secret is whsec_ followed by base64' });
    }
  });

export const WebhookInputsSchema = z
  .strictObject({
    headers: z.array(HeaderNameSchema).max(50).optional().describe('Request headers copied into the run inputs besides the defaults (content-type, user-agent, the sender\'s delivery id and event headers). Signature and secret headers never are.'),
  })
  .describe("What the run's inputs carry besides body, query, deliveryId and receivedAt.");

const WebhookFields = {
  mode: z.enum(WEBHOOK_MODES).describe('`async` answers 202 { runId, deliveryId } once the delivery and its run are committed; `sync` waits for the run to end (up to syncTimeoutMs) and answers with its output.'),
  syncTimeoutMs: z.number().int().min(100).max(MAX_SYNC_TIMEOUT_MS).describe('sync: how long a delivery waits for its run before answering 202 with a status URL (ms).'),
  dedupeHeader: HeaderNameSchema.describe("A header whose value is the dedupe key instead of the scheme's own."),
  enabled: z.boolean(),
};

export const CreateWebhookBodySchema = z.strictObject({
  verification: WebhookVerificationSchema,
  mode: WebhookFields.mode.default('async'),
  syncTimeoutMs: WebhookFields.syncTimeoutMs.default(10_000),
  dedupeHeader: WebhookFields.dedupeHeader.optional(),
  inputs: WebhookInputsSchema.optional(),
  enabled: WebhookFields.enabled.default(true),
});
export type CreateWebhookBody = z.infer<typeof CreateWebhookBodySchema>;

export const UpdateWebhookBodySchema = z
  .strictObject({
    mode: WebhookFields.mode.optional(),
    syncTimeoutMs: WebhookFields.syncTimeoutMs.optional(),
    dedupeHeader: WebhookFields.dedupeHeader.nullable().optional(),
    inputs: WebhookInputsSchema.optional(),
    enabled: WebhookFields.enabled.optional(),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), { message: 'give at least one of mode, syncTimeoutMs, dedupeHeader, inputs, enabled', path: ['mode'] });
export type UpdateWebhookBody = z.infer<typeof UpdateWebhookBodySchema>;

export const RotateWebhookSecretBodySchema = z.strictObject({
  secret: z.string().min(16).max(500).optional().describe('The new secret (generated and returned once when omitted).'),
  graceSeconds: z.number().int().min(0).max(7 * 24 * 3600).default(24 * 3600).describe('How long the previous secrets keep verifying (s; default one day).'),
});
export type RotateWebhookSecretBody = z.infer<typeof RotateWebhookSecretBodySchema>;

export const WebhookSchema = z.object({
  id: z.string(),
  workflowId: z.string(),
  url: z.string().describe('The public ingress URL: deliveries are POSTed here.'),
  scheme: z.enum(WEBHOOK_SCHEMES),
  header: z.string().nullable(),
  mode: z.enum(WEBHOOK_MODES),
  syncTimeoutMs: z.number().int(),
  dedupeHeader: z.string().nullable(),
  inputs: z.object({ headers: z.array(z.string()).optional() }),
  enabled: z.boolean(),
  secrets: z.array(z.object({ id: z.string(), createdAt: z.string(), expiresAt: z.string().nullable() })).describe('The secrets that verify now (never their values).'),
  warning: z.string().optional().describe('Set for scheme `none`: anyone who knows the URL can start runs.'),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type WebhookView = z.infer<typeof WebhookSchema>;

/** `GET /v1/webhooks`: the org's webhooks, newest first, optionally of one workflow. */
export const ListWebhooksQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().uuid().optional(),
  workflowId: z.string().uuid().optional(),
});

export const CreatedWebhookSchema = WebhookSchema.extend({
  secret: z.string().optional().describe('The generated secret: shown only in this answer.'),
});

export const RotatedWebhookSecretSchema = z.object({
  id: z.string().describe('The new secret row.'),
  secret: z.string().optional().describe('The generated secret: shown only in this answer.'),
  previousValidUntil: z.string().describe('Until when the previous secrets keep verifying.'),
});

export const WEBHOOK_DELIVERY_STATUSES = ['accepted', 'deduped', 'refused', 'replayed'] as const;

export const WebhookDeliverySchema = z.object({
  id: z.string(),
  webhookId: z.string(),
  status: z.enum(WEBHOOK_DELIVERY_STATUSES),
  verified: z.boolean(),
  reason: z.string().nullable().describe('Why it was refused (invalid_signature, invalid_inputs, …).'),
  httpStatus: z.number().int(),
  dedupeKey: z.string().nullable(),
  runId: z.string().nullable(),
  replayOf: z.string().nullable(),
  latencyMs: z.number().int().nullable(),
  receivedAt: z.string(),
});

export type WebhookDelivery = z.infer<typeof WebhookDeliverySchema>;

export const DeliveryAnswerSchema = z.object({ runId: z.string(), deliveryId: z.string() });

/** `POST /v1/webhooks/:id/test`: a test event, signed by the server with the hook's current secret. */
export const TestWebhookBodySchema = z.object({
  /** The JSON body to send; default: a sample `{ type: "weft.test", id, createdAt, data }` event. */
  payload: z.record(z.string(), z.unknown()).optional(),
});
export type TestWebhookBody = z.infer<typeof TestWebhookBodySchema>;

export const WebhookTestAnswerSchema = z.object({
  status: z.number().int().describe("The ingress's HTTP status for the test delivery (202 accepted, 401 refused, …)."),
  latencyMs: z.number().int().describe('Time from sending to the answer, ms.'),
  body: z.unknown().describe("The ingress's answer body."),
  runId: z.string().nullable().describe('The run the delivery started, if any.'),
  deliveryId: z.string().nullable(),
});
export type WebhookTestAnswer = z.infer<typeof WebhookTestAnswerSchema>;
