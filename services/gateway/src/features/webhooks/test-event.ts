import { newId } from '@weft/db';
import { rows } from '@weft/run-store';
import { openWebhookSecret, signGithub, signStandard, signStripe } from '@weft/webhook-signatures';
import type { Webhook } from '@weft/db';
import type { TestWebhookBody, WebhookTestAnswer } from '@weft/workflow-schema';
import { AppError } from '../../errors';
import type { Principal } from '../../auth/api-keys';
import type { Resources } from '../../resources';
import { getWebhook } from './webhooks.service';

/** How long the test delivery may take (a sync hook waits for its run up to its own deadline first). */
const TEST_TIMEOUT_MS = 35_000;

interface SecretRow {
  id: string;
  ciphertext: Buffer;
  nonce: Buffer;
  wrapped_key: Buffer;
  kek_id: string;
}

/**
 * Sends a test event to a hook through the real ingress: a sample payload (or the one given),
 * signed server-side with the hook's newest secret as its scheme's sender would, POSTed to
 * `<ingress>/hooks/:id`. The delivery is verified, deduplicated, logged and starts a run like any
 * other; the answer is what the ingress said. The secret never leaves this process.
 */
export async function sendTestEvent(res: Resources, caller: Principal, webhookId: string, ingressUrl: string, body: TestWebhookBody): Promise<WebhookTestAnswer> {
  const hook = await getWebhook(res, caller.orgId, webhookId);
  if (!hook.enabled) throw new AppError('invalid_state', `webhook ${webhookId} is disabled: enable it to send a test event`);
  const eventId = `weft_test_${newId()}`;
  const payload = JSON.stringify(body.payload ?? { type: 'weft.test', id: eventId, createdAt: new Date().toISOString(), data: { message: 'A test event sent from Weft' } });
  const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'Weft-Test-Event/1' };
  Object.assign(headers, signatureHeaders(hook, hook.scheme === 'none' ? null : await currentSecret(res, hook), eventId, payload));
  const started = performance.now();
  let answer: Response;
  try {
    answer = await fetch(`${ingressUrl}/hooks/${hook.id}`, { method: 'POST', headers, body: payload, signal: AbortSignal.timeout(TEST_TIMEOUT_MS), redirect: 'manual' });
  } catch (err) {
    throw new AppError('unavailable', `the webhooks service at ${ingressUrl} did not answer the test event: ${(err as Error).message}`);
  }
  const text = await answer.text();
  const latencyMs = Math.round(performance.now() - started);
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    /* a text answer */
  }
  const ids = (parsed && typeof parsed === 'object' ? parsed : {}) as { runId?: unknown; deliveryId?: unknown };
  return {
    status: answer.status,
    latencyMs,
    body: parsed,
    runId: typeof ids.runId === 'string' ? ids.runId : null,
    deliveryId: typeof ids.deliveryId === 'string' ? ids.deliveryId : null,
  };
}

/** The hook's newest secret that verifies now, in clear (for this request only). */
async function currentSecret(res: Resources, hook: Webhook): Promise<string> {
  if (!res.keyring) throw new AppError('unavailable', 'this server has no key-encryption keys (WEFT_KEKS): signed test events cannot be sent');
  const [s] = await rows<SecretRow>(
    res.db.pool,
    `SELECT id, ciphertext, nonce, wrapped_key, kek_id FROM webhook_secrets
     WHERE webhook_id = $1 AND org_id = $2 AND (expires_at IS NULL OR expires_at > now()) ORDER BY id DESC LIMIT 1`,
    [hook.id, hook.orgId],
  );
  if (!s) throw new AppError('invalid_state', `webhook ${hook.id} has no secret that verifies now: rotate it`);
  return openWebhookSecret(res.keyring, hook.orgId, s.id, { ciphertext: s.ciphertext, nonce: s.nonce, wrappedKey: s.wrapped_key, kekId: s.kek_id });
}

/** The headers a sender of the hook's scheme signs `payload` with (and the delivery id it would send). */
export function signatureHeaders(hook: Pick<Webhook, 'scheme' | 'header'>, secret: string | null, eventId: string, payload: string): Record<string, string> {
  const now = Math.floor(Date.now() / 1000);
  switch (hook.scheme) {
    case 'standard-webhooks':
      return { 'webhook-id': eventId, 'webhook-timestamp': String(now), 'webhook-signature': signStandard(secret!, eventId, now, payload) };
    case 'github':
      return { 'x-github-delivery': eventId, 'x-github-event': 'ping', 'x-hub-signature-256': signGithub(secret!, payload) };
    case 'stripe':
      return { 'stripe-signature': signStripe(secret!, now, payload) };
    case 'header':
      return { [hook.header ?? 'x-webhook-secret']: secret! };
    default:
      return {};
  }
}
