import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ATTR, SpanKind, endSpan, logIdsOf, startSpan, traceparentOf, type Span } from '@weft/telemetry';
import { principalOf } from '../auth/access-control';

declare module 'fastify' {
  interface FastifyRequest {
    /** The request's server span (undefined when tracing is off). */
    span: Span | undefined;
  }
}

/** The W3C traceparent of the request's span (null when tracing is off): a run it starts keeps it. */
export const requestTraceparent = (req: FastifyRequest): string | null => traceparentOf(req.span);

/**
 * One server span per request (tracing on: a caller's `traceparent` header is its parent) and one
 * log line per request when it ends: method, route template (never the URL: its query may hold a
 * token), status, duration, org, request/trace/span ids. `GET /health*` and `/metrics` log at debug.
 */
export function registerRequestTrace(app: FastifyInstance) {
  app.decorateRequest('span', undefined);
  app.addHook('onRequest', async (req) => {
    const header = req.headers.traceparent;
    req.span = startSpan(`${req.method} ${req.routeOptions.url ?? 'unmatched'}`, {
      kind: SpanKind.SERVER,
      parent: typeof header === 'string' ? header : null,
      attributes: { 'http.request.method': req.method, 'http.route': req.routeOptions.url ?? 'unmatched' },
    });
  });
  app.addHook('onResponse', async (req, reply) => {
    const org = principalOf(req)?.orgId;
    const span = req.span;
    const ids = logIdsOf(span);
    if (span) {
      span.setAttribute('http.response.status_code', reply.statusCode);
      if (org) span.setAttribute(ATTR.orgId, org);
      endSpan(span, reply.statusCode >= 500 ? { code: `http_${reply.statusCode}` } : undefined);
    }
    const route = req.routeOptions.url ?? 'unmatched';
    const quiet = route.startsWith('/health') || route === '/metrics';
    req.log[quiet ? 'debug' : 'info'](
      { method: req.method, route, status: reply.statusCode, duration_ms: Math.round(reply.elapsedTime), ...(org ? { org_id: org } : {}), ...ids },
      'request completed',
    );
  });
}
