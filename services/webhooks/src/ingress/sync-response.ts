import type { RunEnd } from './sync-wait';

/** What a sync delivery answers: status, headers, body (a string is sent as is, anything else as JSON). */
export interface SyncResponse {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

/** Headers the workflow may not set: framing, connection and hop-by-hop headers belong to the server. */
const RESERVED = new Set(['content-length', 'transfer-encoding', 'connection', 'keep-alive', 'upgrade', 'trailer', 'te', 'host', 'date', 'server']);
const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,100}$/;

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/**
 * The `webhookResponse` object of a run's output: at its top, or in the output of one of its final
 * nodes (a run's output is keyed by final node id), the first in key order that has one.
 */
function webhookResponseOf(output: unknown): Record<string, unknown> | undefined {
  if (!isObject(output)) return undefined;
  if (isObject(output.webhookResponse)) return output.webhookResponse;
  for (const value of Object.values(output)) if (isObject(value) && isObject(value.webhookResponse)) return value.webhookResponse;
  return undefined;
}

/**
 * The answer of a sync delivery from its run's end. A succeeded run whose output has a
 * `webhookResponse` object (see webhookResponseOf) answers with it: `status` (200–599, default 200), `headers` (string
 * values; framing and hop-by-hop headers are dropped), `body` (default null). Any other output
 * answers 200 `{ runId, status, output }`. A failed or cancelled run answers 502
 * `{ runId, status, error }`.
 */
export function syncResponse(runId: string, end: RunEnd): SyncResponse {
  if (end.status !== 'succeeded') return { status: 502, headers: {}, body: { runId, status: end.status, error: end.error ?? null } };
  const custom = webhookResponseOf(end.output);
  if (!custom) return { status: 200, headers: {}, body: { runId, status: end.status, output: end.output ?? null } };
  const r = custom as { status?: unknown; headers?: unknown; body?: unknown };
  const status = Number.isInteger(r.status) && (r.status as number) >= 200 && (r.status as number) <= 599 ? (r.status as number) : 200;
  const headers: Record<string, string> = {};
  if (r.headers && typeof r.headers === 'object') {
    for (const [name, value] of Object.entries(r.headers)) {
      if (typeof value === 'string' && HEADER_NAME.test(name) && !RESERVED.has(name.toLowerCase()) && !/[\r\n]/.test(value)) headers[name.toLowerCase()] = value;
    }
  }
  return { status, headers, body: r.body ?? null };
}
