import Fastify, { LogController, type FastifyBaseLogger, type FastifyError, type FastifyInstance } from 'fastify';
import { IngressError } from './errors';
import { Ingress } from './ingress/receive';
import type { WebhooksOptions, WebhooksResources } from './resources';

/**
 * The webhook ingress: POST /hooks/:id (any content type, read raw: signatures are over the exact
 * bytes), GET /healthz and /readyz. Only main.ts listens; tests build it and listen on loopback.
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
    const answer = await ingress.receive({
      hookId: req.params.id,
      rawBody: Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0),
      headers: req.headers,
      url: req.url,
      receivedAt: now(),
    });
    for (const [k, v] of Object.entries(answer.headers)) void reply.header(k, v);
    if (answer.deduped) void reply.header('weft-deduplicated', 'true');
    if (typeof answer.body === 'string') return reply.status(answer.status).type(answer.headers['content-type'] ?? 'text/plain; charset=utf-8').send(answer.body);
    return reply.status(answer.status).type(answer.headers['content-type'] ?? 'application/json').send(JSON.stringify(answer.body));
  });

  app.get('/healthz', async () => ({ ok: true }));
  app.get('/readyz', async (_req, reply) => {
    await res.db.pool.query('SELECT 1');
    return reply.send({ ok: true });
  });
  return app;
}
