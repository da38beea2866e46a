import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { Histogram, type Registry } from 'prom-client';
import { createRegistry, registerPoolMetrics, registerQueueMetrics } from '@weft/metrics';
import { QUEUES } from '@weft/queue';
import type { Resources } from '../../resources';

/** The gateway's registry: process, Postgres pool, queue depth and HTTP request metrics. */
export function gatewayRegistry(res: Resources): Registry {
  const registry = createRegistry('gateway');
  registerPoolMetrics(registry, res.db.pool);
  registerQueueMetrics(registry, Object.values(QUEUES).map((name) => res.queues.queue(name)));
  return registry;
}

/**
 * `GET /metrics` (Prometheus text, no key, as pinned in the contract; keep the port private or
 * filter the path at the proxy) and one duration histogram of every request, labelled by the
 * route's pattern (never the raw URL: bounded labels), method and status code.
 */
export const metricsRoutes =
  (registry: Registry): FastifyPluginAsyncZod =>
  async (app) => {
    const requests = new Histogram({
      name: 'weft_http_request_duration_seconds',
      help: 'Gateway requests by route pattern, method and status (429: refused by a rate limit)',
      labelNames: ['route', 'method', 'status'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    });
    app.addHook('onResponse', async (req, reply) => {
      const route = req.routeOptions.url ?? 'unmatched';
      requests.observe({ route, method: req.method, status: String(reply.statusCode) }, reply.elapsedTime / 1000);
    });
    app.get('/metrics', { config: { access: 'public' }, schema: { tags: ['health'], operationId: 'getMetrics', summary: 'Prometheus metrics (text exposition)', security: [] } }, async (_req, reply) => {
      const text = await registry.metrics();
      return reply.type(registry.contentType).send(text);
    });
  };
