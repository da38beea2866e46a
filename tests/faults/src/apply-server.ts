import { randomUUID } from 'node:crypto';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBody } from '@weft/testing';

/** One request that reached the server (a first delivery or a re-delivery). */
export interface Delivery {
  key: string;
  path: string;
  /** The client's source port: with `socketOwner` it names the process that sent the request. */
  remotePort: number;
  /** The client's address: in the scale-out test it names the network namespace (host) that sent it. */
  remoteAddress: string;
  at: number;
  /** True when the key was already applied and the stored answer was replayed. */
  replayed: boolean;
}

/** The one time a key's effect happened. */
export interface Application {
  id: string;
  key: string;
  at: number;
  body: unknown;
}

export interface ApplyServer {
  url: string;
  port: number;
  /** key → its single application (the effect). */
  applied: Map<string, Application>;
  /** How many times the effect was applied per key: 1 for every key, or the server is broken. */
  applications: Map<string, number>;
  deliveries: Delivery[];
  /** Called on every request, as it arrives (before any answer). */
  onDelivery(listener: (d: Delivery) => void): () => void;
  close(): Promise<void>;
}

/**
 * A remote API that applies effects idempotently, the way Stripe does: the first request with an
 * `Idempotency-Key` applies the effect (recorded on arrival, so a client that dies before the
 * answer still caused it) and stores its answer; any later request with that key gets the stored
 * answer (`idempotent-replayed: true`) and applies nothing. Routes:
 * - `POST /apply?delayMs=N`  apply once, answer `{ applicationId, key, body }` after N ms;
 *   with `&failFirst=1` the first request of each key is refused with 503 (nothing applied)
 * - `POST /hang`             records the delivery and never answers
 */
export async function startApplyServer(host = '127.0.0.1'): Promise<ApplyServer> {
  const applied = new Map<string, Application>();
  const applications = new Map<string, number>();
  const answers = new Map<string, Promise<{ status: number; body: unknown }>>();
  const deliveries: Delivery[] = [];
  const listeners = new Set<(d: Delivery) => void>();
  const refused = new Set<string>();

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const raw = await readBody(req);
    const key = String(req.headers['idempotency-key'] ?? '');
    const refuse = url.searchParams.get('failFirst') !== null && key !== '' && !refused.has(key);
    const first = !refuse && url.pathname === '/apply' && key !== '' && !answers.has(key);
    const delivery: Delivery = { key, path: url.pathname, remotePort: req.socket.remotePort ?? 0, remoteAddress: req.socket.remoteAddress ?? '', at: Date.now(), replayed: !refuse && !first && url.pathname === '/apply' };
    deliveries.push(delivery);
    for (const l of listeners) l(delivery);

    if (refuse) {
      refused.add(key);
      return send(res, 503, { error: 'try again later' });
    }
    if (url.pathname === '/hang') return; // never answers; the connection ends when the client goes
    if (url.pathname !== '/apply') return send(res, 404, { error: 'no such route' });
    if (!key) return send(res, 400, { error: 'Idempotency-Key is required' });
    if (first) {
      const body = raw ? (JSON.parse(raw) as unknown) : null;
      const application: Application = { id: randomUUID(), key, at: Date.now(), body };
      applied.set(key, application);
      applications.set(key, (applications.get(key) ?? 0) + 1);
      const delayMs = Number(url.searchParams.get('delayMs') ?? 0);
      answers.set(key, new Promise((resolve) => setTimeout(() => resolve({ status: 200, body: { applicationId: application.id, key, body } }), delayMs)));
      const answer = await answers.get(key)!;
      return send(res, answer.status, answer.body);
    }
    // A re-delivery: the stored answer (waiting for it if the first request is still in progress).
    const answer = await answers.get(key)!;
    return send(res, answer.status, answer.body, { 'idempotent-replayed': 'true' });
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    port,
    applied,
    applications,
    deliveries,
    onDelivery(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  if (res.destroyed) return;
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

