import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface EchoRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

export interface EchoServer {
  url: string;
  requests: EchoRequest[];
  /** Most `/delay/:ms` requests in flight at the same time (to check concurrency limits). */
  maxInFlight(): number;
  close(): Promise<void>;
}

/**
 * A local HTTP server standing in for the outside internet. Routes:
 * - `/status/:code`      answers that status (with `retry-after` from ?retryAfter=)
 * - `/delay/:ms`         answers after a delay
 * - `/redirect?to=URL`   302 to URL
 * - `/items`             a JSON list of items
 * - `/big/:bytes`        a text body of that many bytes
 * - `/flaky/:n`          fails with 503 the first n times per Idempotency-Key, then 200
 * - anything else        echoes method, path, query, headers and parsed body as JSON
 */
export async function startEchoServer(): Promise<EchoServer> {
  const requests: EchoRequest[] = [];
  const flakyCounts = new Map<string, number>();
  let inFlight = 0;
  let maxInFlight = 0;
  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const raw = await readBody(req);
    let body: unknown = raw;
    if (String(req.headers['content-type'] ?? '').includes('json') && raw) {
      try {
        body = JSON.parse(raw);
      } catch {
        body = raw;
      }
    }
    const entry: EchoRequest = { method: req.method ?? 'GET', path: url.pathname, query: Object.fromEntries(url.searchParams), headers: req.headers, body };
    requests.push(entry);
    const json = (status: number, data: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(data));
    };
    const [, first, arg] = url.pathname.split('/');
    if (first === 'status') return json(Number(arg), { status: Number(arg) }, url.searchParams.get('retryAfter') ? { 'retry-after': url.searchParams.get('retryAfter')! } : {});
    if (first === 'delay') {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      return void setTimeout(() => {
        inFlight--;
        json(200, { delayed: Number(arg), query: entry.query });
      }, Number(arg));
    }
    if (first === 'redirect') {
      res.writeHead(302, { location: url.searchParams.get('to') ?? '/' });
      return res.end();
    }
    if (first === 'big') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      return res.end('x'.repeat(Number(arg)));
    }
    if (first === 'items') return json(200, { items: [{ id: 1, name: 'ada' }, { id: 2, name: 'grace' }, { id: 3, name: 'linus' }] });
    if (first === 'flaky') {
      const key = String(req.headers['idempotency-key'] ?? '');
      const seen = (flakyCounts.get(key) ?? 0) + 1;
      flakyCounts.set(key, seen);
      return seen <= Number(arg) ? json(503, { error: 'try again' }) : json(200, { ok: true, attempts: seen });
    }
    return json(200, entry);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    maxInFlight: () => maxInFlight,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

/** The whole body of a request, as UTF-8 text. */
export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
