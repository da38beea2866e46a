import { createServer, type Server } from 'node:http';
import type { Registry } from 'prom-client';

export interface OpsServerOptions {
  registry: Registry;
  port: number;
  host: string;
  /** Readiness: resolves when the process can do its work (Postgres and Redis reachable). */
  ready?: () => Promise<void>;
}

/**
 * The operations port of a worker process (orchestrator, executor): `GET /metrics` (Prometheus
 * text), `GET /healthz` (the process answers) and `GET /readyz` (its dependencies answer: 503
 * with the reason otherwise). No key: bind it to a private interface, as the gateway's /metrics.
 */
export async function startOpsServer({ registry, port, host, ready }: OpsServerOptions): Promise<Server> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') return answer(res, 405, 'text/plain', 'method not allowed\n');
    if (path === '/metrics') {
      registry.metrics().then(
        (text) => answer(res, 200, registry.contentType, text),
        (error: unknown) => answer(res, 500, 'text/plain', `metrics failed: ${(error as Error).message}\n`),
      );
      return;
    }
    if (path === '/healthz') return answer(res, 200, 'application/json', '{"status":"ok"}');
    if (path === '/readyz') {
      (ready ? ready() : Promise.resolve()).then(
        () => answer(res, 200, 'application/json', '{"status":"ok"}'),
        (error: unknown) => answer(res, 503, 'application/json', JSON.stringify({ status: 'unavailable', reason: (error as Error).message })),
      );
      return;
    }
    answer(res, 404, 'text/plain', 'not found\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return server;
}

function answer(res: import('node:http').ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  res.end(body);
}
