import { renderTemplate } from '@weft/engine';
import { StepFailure, invalidInput } from '../errors';
import type { StepHttpClient } from '../http/client';
import type { NodeConfig } from '@weft/workflow-schema';
import type { NodeProcessor } from './types';

/**
 * http_request: renders templates, sends the request, fails on HTTP errors. 5xx, 408 and 429
 * are retryable (429/503 pass Retry-After on as details.retryAfterMs), other 4xx are not.
 * An Idempotency-Key (run + node) lets the remote side apply a re-delivered request once.
 */
export function httpRequest(client: StepHttpClient): NodeProcessor<'http_request'> {
  return async ({ config, context, budget, signal, ids, stepLog }) => {
    const url = renderTemplate(config.url, context, budget);
    if (typeof url !== 'string') throw invalidInput(`url must render to a string, got ${typeof url}`);
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      throw new StepFailure('invalid_url', `url "${url}" is not a valid URL`, false);
    }
    for (const [k, v] of Object.entries((renderTemplate(config.query ?? {}, context, budget) ?? {}) as Record<string, unknown>)) {
      if (v !== null && v !== undefined) target.searchParams.append(k, String(v));
    }
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries((renderTemplate(config.headers ?? {}, context, budget) ?? {}) as Record<string, unknown>)) {
      headers[k.toLowerCase()] = String(v ?? '');
    }
    headers['idempotency-key'] ??= `weft-${ids.runId}-${ids.nodeId}`;
    const body = config.body === undefined ? undefined : encodeBody(renderTemplate(config.body, context, budget), config.bodyType, headers);
    const started = performance.now();
    const res = await client.send({
      orgId: ids.orgId,
      method: config.method,
      url: target.toString(),
      headers,
      ...(body !== undefined ? { body } : {}),
      signal,
    });
    const ms = Math.round(performance.now() - started);
    stepLog?.(res.status < 400 ? 'info' : 'warn', `${config.method} ${target.origin}${target.pathname} → HTTP ${res.status} in ${ms} ms`, { method: config.method, status: res.status, durationMs: ms });
    assertOk(res, target.host);
    return res;
  };
}

/** Encodes the rendered body per bodyType and sets a content-type unless the node set one. */
function encodeBody(rendered: unknown, bodyType: NodeConfig<'http_request'>['bodyType'], headers: Record<string, string>): string {
  if (bodyType === 'form') {
    if (!rendered || typeof rendered !== 'object' || Array.isArray(rendered)) throw invalidInput('a form body must render to an object of fields', { field: 'body' });
    headers['content-type'] ??= 'application/x-www-form-urlencoded';
    const form = new URLSearchParams();
    for (const [k, v] of Object.entries(rendered)) form.append(k, typeof v === 'string' ? v : JSON.stringify(v));
    return form.toString();
  }
  if (bodyType === 'text') {
    headers['content-type'] ??= 'text/plain; charset=utf-8';
    return typeof rendered === 'string' ? rendered : JSON.stringify(rendered);
  }
  if (typeof rendered === 'string') return rendered;
  headers['content-type'] ??= 'application/json';
  return JSON.stringify(rendered);
}

/**
 * Fails the step on an HTTP error answer: 5xx, 408 and 429 are retryable (Retry-After becomes
 * details.retryAfterMs), other 4xx are not. `describe` lets integrations name the service's own
 * error (e.g. Slack's `channel_not_found`).
 */
export function assertOk(res: { status: number; headers: Record<string, string>; body: unknown }, host: string, describe?: (body: unknown) => string | undefined) {
  if (res.status < 400) return;
  const retryable = res.status >= 500 || res.status === 408 || res.status === 429;
  const retryAfterMs = parseRetryAfter(res.headers['retry-after']);
  const detail = describe?.(res.body);
  throw new StepFailure('http_error', `HTTP ${res.status} from ${host}${detail ? `: ${detail}` : ''}`, retryable, {
    status: res.status,
    body: truncate(res.body),
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
  });
}

function parseRetryAfter(v: string | undefined): number | undefined {
  if (!v) return undefined;
  const secs = Number(v);
  if (Number.isFinite(secs)) return Math.max(0, secs * 1000);
  const at = Date.parse(v);
  return Number.isFinite(at) ? Math.max(0, at - Date.now()) : undefined;
}

function truncate(body: unknown): unknown {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return text && text.length > 2000 ? `${text.slice(0, 2000)}…` : body;
}

