import Fastify, { LogController, type FastifyBaseLogger, type FastifyError, type FastifyInstance } from 'fastify';
import { Counter } from 'prom-client';
import { createRegistry, registerPoolMetrics } from '@weft/metrics';
import { SpanKind, endSpan, logIdsOf, startSpan, traceparentOf, type Span } from '@weft/telemetry';
import { IngressError } from './errors';
import { Ingress } from './ingress/receive';
import type { WebhooksOptions, WebhooksResources } from './resources';

declare module 'fastify' {
  interface FastifyRequest {
    /** The delivery's server span (undefined when tracing is off or on other routes). */
    span: Span | undefined;
  }
}

/**
 * The webhook ingress: POST /hooks/:id (any content type, read raw: signatures are over the exact
 * bytes), GET /healthz, /readyz and /metrics (Prometheus text, no key: keep it off the public
 * path at the proxy). Only main.ts listens; tests build it and listen on loopback.
 */
export async function buildWebhooksApp(res: WebhooksResources, opts: WebhooksOptions): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: res.logger as unknown as FastifyBaseLogger,
    logController: new LogController({ requestIdLogLabel: 'request_id', disableRequestLogging: true }),
    bodyLimit: opts.maxBodyBytes,
    trustProxy: false,
  });
  const ingress = new Ingress(res, opts);
  const now = opts.now ?? Date.now;

  // Every body stays the bytes it was: the ingress parses it itself after the signature check.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

  app.setErrorHandler((err: FastifyError, req, reply) => {
    const known = err instanceof IngressError ? err
      : err.code === 'FST_ERR_CTP_BODY_TOO_LARGE' ? new IngressError('payload_too_large', `the body is larger than ${opts.maxBodyBytes} bytes`)
        : err.statusCode === 415 ? new IngressError('unsupported_media_type', err.message)
          : err.statusCode && err.statusCode < 500 ? new IngressError('invalid_payload', err.message)
            : undefined;
    if (!known) {
      req.log.error({ err }, 'webhook delivery failed');
      return reply.status(500).type('application/problem+json').send(new IngressError('internal', 'the delivery could not be handled; retry').problem(req.url.split('?')[0]!));
    }
    if (known.retryAfterSeconds !== undefined) void reply.header('retry-after', String(known.retryAfterSeconds));
    return reply.status(known.status).type('application/problem+json').send(known.problem(req.url.split('?')[0]!));
  });

  app.post<{ Params: { id: string } }>('/hooks/:id', async (req, reply) => {
    // A new trace per delivery: a sender's traceparent is not trusted (the hook's run starts its own).
    const span = startSpan('POST /hooks/:id', { kind: SpanKind.SERVER, parent: null, attributes: { 'http.request.method': 'POST', 'http.route': '/hooks/:id', 'weft.webhook_id': req.params.id } });
    req.span = span;
    const answer = await ingress.receive({
      hookId: req.params.id,
      rawBody: Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0),
      headers: req.headers,
      url: req.url,
      receivedAt: now(),
      traceParent: traceparentOf(span),
    });
    for (const [k, v] of Object.entries(answer.headers)) void reply.header(k, v);
    if (answer.deduped) void reply.header('weft-deduplicated', 'true');
    if (typeof answer.body === 'string') return reply.status(answer.status).type(answer.headers['content-type'] ?? 'text/plain; charset=utf-8').send(answer.body);
    return reply.status(answer.status).type(answer.headers['content-type'] ?? 'application/json').send(JSON.stringify(answer.body));
  });

  // Deliveries by the status answered: 202/200 accepted (or deduplicated), 401 refused signature,
  // 400 refused payload, 404/410 unknown or disabled hook, 413/415 body, 429 rate limited.
  const registry = createRegistry('webhooks');
  registerPoolMetrics(registry, res.db.pool);
  const deliveries = new Counter({ name: 'weft_webhook_deliveries_total', help: 'Webhook deliveries by answered status', labelNames: ['status'], registers: [registry] });
  app.decorateRequest('span', undefined);
  app.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url ?? 'unmatched';
    if (route === '/hooks/:id') deliveries.inc({ status: String(reply.statusCode) });
    const ids = logIdsOf(req.span);
    if (req.span) {
      req.span.setAttribute('http.response.status_code', reply.statusCode);
      endSpan(req.span, reply.statusCode >= 500 ? { code: `http_${reply.statusCode}` } : undefined);
    }
    // One line per request (route template only: the query may carry a token).
    const quiet = route !== '/hooks/:id';
    req.log[quiet ? 'debug' : 'info']({ method: req.method, route, status: reply.statusCode, duration_ms: Math.round(reply.elapsedTime), ...ids }, 'request completed');
  });
  app.get('/metrics', async (_req, reply) => reply.type(registry.contentType).send(await registry.metrics()));

  app.get('/healthz', async () => ({ ok: true }));
  app.get('/readyz', async (_req, reply) => {
    await res.db.pool.query('SELECT 1');
    return reply.send({ ok: true });
  });
  return app;
}
