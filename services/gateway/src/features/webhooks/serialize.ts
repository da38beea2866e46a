import type { Webhook, WebhookDelivery, WebhookSecret } from '@weft/db';
import type { WebhookView } from '@weft/workflow-schema';

/** A webhook as the API shows it: its ingress URL and the secrets that verify now (never their values). */
export function webhookView(h: Webhook, secrets: Pick<WebhookSecret, 'id' | 'createdAt' | 'expiresAt'>[], ingressUrl: string): WebhookView {
  return {
    id: h.id,
    workflowId: h.workflowId,
    url: `${ingressUrl}/hooks/${h.id}`,
    scheme: h.scheme as WebhookView['scheme'],
    header: h.header,
    mode: h.mode as WebhookView['mode'],
    syncTimeoutMs: h.syncTimeoutMs,
    dedupeHeader: h.dedupeHeader,
    inputs: h.inputs as WebhookView['inputs'],
    enabled: h.enabled,
    secrets: secrets.map((s) => ({ id: s.id, createdAt: s.createdAt.toISOString(), expiresAt: s.expiresAt ? s.expiresAt.toISOString() : null })),
    ...(h.scheme === 'none' ? { warning: 'scheme none: anyone who knows this URL can start runs of the workflow' } : {}),
    createdAt: h.createdAt.toISOString(),
    updatedAt: h.updatedAt.toISOString(),
  };
}

export const deliveryView = (d: WebhookDelivery) => ({
  id: d.id,
  webhookId: d.webhookId,
  status: d.status as 'accepted' | 'deduped' | 'refused' | 'replayed',
  verified: d.verified,
  reason: d.reason,
  httpStatus: d.httpStatus,
  dedupeKey: d.dedupeKey,
  runId: d.runId,
  replayOf: d.replayOf,
  latencyMs: d.latencyMs,
  receivedAt: d.receivedAt.toISOString(),
});
