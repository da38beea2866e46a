import { createHmac } from 'node:crypto';
import { renderTemplate } from '@weft/engine';
import { invalidInput } from '../../errors';
import type { StepHttpClient } from '../../http/client';
import { assertOk } from '../http-request';
import type { NodeProcessor } from '../types';
import { text } from './render';

/**
 * Standard Webhooks signature (standardwebhooks.com): HMAC-SHA256 over `id.timestamp.body` with
 * the secret's key bytes (the base64 part of `whsec_…`), sent as `v1,<base64>`.
 */
export function signWebhook(secret: string, id: string, timestamp: number, body: string): string {
  const key = Buffer.from(secret.startsWith('whsec_') ? secret.slice(6) : secret, 'base64');
  if (key.length < 16) throw invalidInput('the webhook secret must be base64 of at least 16 bytes (whsec_…)', { field: 'secret' });
  return `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
}

/** webhook_out: a signed POST. The webhook-id is stable across retries, so receivers can dedupe. */
export function webhookOut(http: StepHttpClient, now: () => number = Date.now): NodeProcessor<'webhook_out'> {
  return async ({ config, context, budget, signal, ids }) => {
    const url = text(config, 'url', context, budget);
    const body = JSON.stringify(renderTemplate(config.payload ?? null, context, budget) ?? null);
    const id = `msg_${ids.runId}_${ids.nodeId}`;
    const timestamp = Math.floor(now() / 1000);
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries((renderTemplate(config.headers ?? {}, context, budget) ?? {}) as Record<string, unknown>)) headers[k.toLowerCase()] = String(v ?? '');
    Object.assign(headers, {
      'content-type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': String(timestamp),
      'webhook-signature': signWebhook(text(config, 'secret', context, budget), id, timestamp, body),
    });
    const res = await http.send({ orgId: ids.orgId, method: 'POST', url, headers, body, signal });
    assertOk(res, new URL(url).host);
    return { status: res.status, webhookId: id, body: res.body };
  };
}
