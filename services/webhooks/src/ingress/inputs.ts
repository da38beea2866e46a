import type { HookConfig } from './hook-config';

/** Headers every run gets when sent (never a signature or a secret). */
export const DEFAULT_INPUT_HEADERS = [
  'content-type', 'user-agent', 'webhook-id', 'webhook-timestamp', 'x-github-event', 'x-github-delivery', 'x-github-hook-id', 'x-request-id',
] as const;

/** Headers that carry signatures or credentials: never in a run's inputs, even if allow-listed. */
const NEVER = new Set(['authorization', 'cookie', 'proxy-authorization', 'webhook-signature', 'x-hub-signature', 'x-hub-signature-256', 'stripe-signature']);

/** The run's inputs; every field is the server's (the body is one value among them, it sets nothing else). */
export interface DeliveryInputs {
  body: unknown;
  headers: Record<string, string>;
  query: Record<string, string | string[]>;
  deliveryId: string;
  receivedAt: string;
}

/** The request headers the hook lets into the run: the defaults plus its allow-list, minus signatures and its shared-secret header. */
export function allowedHeaders(hook: Pick<HookConfig, 'allowHeaders' | 'header'>, headers: Readonly<Record<string, string | string[] | undefined>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of [...DEFAULT_INPUT_HEADERS, ...hook.allowHeaders]) {
    const value = headers[name];
    if (value === undefined || NEVER.has(name) || name === hook.header) continue;
    out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

/** The query string as an object (a repeated name: an array of its values). */
export function queryOf(url: string): Record<string, string | string[]> {
  const at = url.indexOf('?');
  const out: Record<string, string | string[]> = Object.create(null);
  if (at < 0) return {};
  for (const [k, v] of new URLSearchParams(url.slice(at + 1))) {
    const seen = out[k];
    out[k] = seen === undefined ? v : Array.isArray(seen) ? [...seen, v] : [seen, v];
  }
  return { ...out };
}
