import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A meter event as the double stored it. */
export interface StoredMeterEvent {
  event_name: string;
  identifier: string;
  payload: Record<string, string>;
  timestamp: number;
}

export interface StripeDouble {
  url: string;
  events: StoredMeterEvent[];
  /** Requests received (including refused ones). */
  requests: number;
  /** Drops the stored idempotency keys, as Stripe does after 24 hours (identifiers stay unique). */
  expireIdempotencyKeys(): void;
  close(): Promise<void>;
}

/**
 * A local server that answers `POST /v1/billing/meter_events` like Stripe: secret-key auth,
 * form-encoded body, required `event_name` and `payload[stripe_customer_id]` / `payload[value]`
 * (a whole number), `identifier` unique (a second event with the same identifier is refused with
 * 400 invalid_request_error "An event already exists with identifier …", `Stripe-Should-Retry:
 * false`), and `Idempotency-Key` replays (the same key and body answer the first response again;
 * the same key with another body is an idempotency_error).
 */
export async function startStripeDouble(apiKey: string): Promise<StripeDouble> {
  const events: StoredMeterEvent[] = [];
  const byIdentifier = new Set<string>();
  const replays = new Map<string, { body: string; status: number; answer: unknown }>();
  const state = { requests: 0 };
  const server: Server = createServer(async (req, res) => {
    state.requests++;
    const send = (status: number, answer: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(answer));
    };
    const error = (status: number, type: string, message: string, param?: string) => ({ status, answer: { error: { type, message, ...(param ? { param } : {}) } } });
    if (req.method !== 'POST' || req.url !== '/v1/billing/meter_events') return send(404, { error: { type: 'invalid_request_error', message: `Unrecognized request URL (${req.method}: ${req.url})` } });
    if (req.headers.authorization !== `Bearer ${apiKey}`) return send(401, { error: { type: 'invalid_request_error', message: 'Invalid API Key provided' } });
    const raw = await readAll(req);
    const key = req.headers['idempotency-key'];
    if (typeof key === 'string') {
      const seen = replays.get(key);
      if (seen && seen.body !== raw) return send(400, { error: { type: 'idempotency_error', message: 'Keys for idempotent requests can only be used with the same parameters they were first used with.' } });
      if (seen) return send(seen.status, seen.answer, { 'idempotent-replayed': 'true' });
    }
    const form = new URLSearchParams(raw);
    const payload: Record<string, string> = {};
    for (const [k, v] of form) {
      const m = /^payload\[(.+)\]$/.exec(k);
      if (m) payload[m[1]!] = v;
    }
    const identifier = form.get('identifier') ?? `auto_${events.length + 1}`;
    let outcome: { status: number; answer: unknown };
    if (!form.get('event_name')) outcome = error(400, 'invalid_request_error', 'Missing required param: event_name.', 'event_name');
    else if (!payload.stripe_customer_id) outcome = error(400, 'invalid_request_error', 'Missing required param: payload[stripe_customer_id].', 'payload[stripe_customer_id]');
    else if (!payload.value || !/^\d+$/.test(payload.value)) outcome = error(400, 'invalid_request_error', 'payload[value] must be a whole number.', 'payload[value]');
    else if (byIdentifier.has(identifier)) outcome = error(400, 'invalid_request_error', `An event already exists with identifier ${identifier}.`);
    else {
      const event: StoredMeterEvent = { event_name: form.get('event_name')!, identifier, payload, timestamp: Number(form.get('timestamp') ?? Math.floor(Date.now() / 1000)) };
      byIdentifier.add(identifier);
      events.push(event);
      outcome = { status: 200, answer: { object: 'billing.meter_event', created: Math.floor(Date.now() / 1000), livemode: false, ...event } };
    }
    if (typeof key === 'string' && outcome.status !== 401) replays.set(key, { body: raw, ...outcome });
    send(outcome.status, outcome.answer, outcome.status === 400 ? { 'stripe-should-retry': 'false' } : {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    events,
    get requests() {
      return state.requests;
    },
    expireIdempotencyKeys: () => replays.clear(),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function readAll(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
