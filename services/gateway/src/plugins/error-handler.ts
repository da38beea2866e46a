import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import type { Issue } from '@weft/workflow-schema';
import { AppError, ERROR_STATUS, TITLES, type ErrorCode } from '../errors';
import { expiredTransaction } from './expired-transaction';

/** Fastify's own refusals (body parsing), said the way a user can act on. */
const FASTIFY_ERRORS: Record<string, [ErrorCode, (req: FastifyRequest) => string]> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: ['unsupported_media_type', (req) => `a body of type ${JSON.stringify(req.headers['content-type'] ?? '')} is not accepted: send JSON with Content-Type: application/json`],
  FST_ERR_CTP_BODY_TOO_LARGE: ['payload_too_large', (req) => bodyTooLarge(req.routeOptions.bodyLimit)],
  FST_ERR_CTP_EMPTY_JSON_BODY: ['validation_failed', () => 'the body is empty but Content-Type says application/json: send JSON, or no Content-Type'],
  FST_ERR_CTP_INVALID_JSON_BODY: ['validation_failed', () => 'the body is not valid JSON'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: ['validation_failed', () => 'Content-Length does not match the body'],
};

/** The 413's detail: the limit in bytes and MiB, and the setting that raises it. */
export function bodyTooLarge(limit: number | undefined): string {
  if (limit === undefined) return 'the body is larger than the gateway accepts (WEFT_MAX_BODY_BYTES)';
  return `the body is larger than ${limit} bytes (${+(limit / 1_048_576).toFixed(2)} MiB), the most the gateway accepts (WEFT_MAX_BODY_BYTES)`;
}

/** Answers every error as RFC 9457 problem+json; nothing but real bugs becomes a 500. */
export function registerErrorHandler(app: FastifyInstance) {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (err instanceof AppError) {
      if (err.more?.headers) reply.headers(err.more.headers);
      return problem(reply, req, err.code, err.message, err.issues, err.more?.extensions);
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const issues: Issue[] = err.validation.map((v) => ({
        path: [err.validationContext ?? 'body', ...v.instancePath.split('/').filter(Boolean)]
          .map((p, i) => (/^\d+$/.test(p) && i > 0 ? `[${p}]` : p))
          .join('.')
          .replace(/\.\[/g, '['),
        code: String((v.params as { issue?: { code?: string } })?.issue?.code ?? v.keyword ?? 'invalid'),
        message: v.message ?? 'invalid value',
      }));
      return problem(reply, req, 'validation_failed', issues.map((i) => `${i.path}: ${i.message}`).join('; '), issues);
    }
    const known = FASTIFY_ERRORS[err.code];
    if (known) return problem(reply, req, known[0], known[1](req));
    if (isResponseSerializationError(err)) {
      req.log.error({ err }, 'response did not match its schema');
      return problem(reply, req, 'internal', 'the server produced an invalid answer');
    }
    const expired = expiredTransaction(err);
    if (expired) {
      req.log.warn({ err }, 'database transaction expired');
      return problem(reply, req, 'unavailable', expired);
    }
    if (isUnavailable(err)) {
      req.log.warn({ err }, 'dependency unavailable');
      return problem(reply, req, 'unavailable', 'a dependency (database or queue) is unavailable; retry shortly');
    }
    const refused = refusedByDatabase(err);
    if (refused) {
      // Bodies are checked before routes run (json-body.ts); this catches what a parameter or a new route lets through.
      req.log.warn({ err }, 'the database refused a value of the request');
      return problem(reply, req, 'validation_failed', `a value of the request cannot be stored: ${refused}`);
    }
    const status = err.statusCode ?? 500;
    if (status < 500) {
      const code = (Object.entries(ERROR_STATUS).find(([, s]) => s === status)?.[0] ?? 'validation_failed') as ErrorCode;
      return problem(reply, req, code, err.message);
    }
    req.log.error({ err }, 'unhandled error');
    return problem(reply, req, 'internal', 'an unexpected error occurred');
  });

  app.setNotFoundHandler((req, reply) => problem(reply, req, 'not_found', `no route ${req.method} ${clip(pathOf(req.url))}`));
}

/**
 * Fastify's `frameworkErrors`: what the router refuses before any route or error handler runs (a malformed
 * percent-encoding, a path parameter over the length limit), answered as problems like everything else.
 */
export function frameworkErrors(err: FastifyError, req: FastifyRequest, reply: FastifyReply) {
  if (err.code === 'FST_ERR_BAD_URL') return problem(reply, req, 'validation_failed', 'the URL is not valid (a malformed percent-encoding?)');
  if (err.code === 'FST_ERR_MAX_PARAM_LENGTH') return problem(reply, req, 'uri_too_long', 'a path parameter is longer than the gateway accepts');
  req.log.error({ err }, 'router error');
  return problem(reply, req, 'internal', 'an unexpected error occurred');
}

/**
 * Fastify's `clientErrorHandler`: bytes that are not HTTP (or arrive too slowly) never become a request, so the
 * problem is written on the socket directly, and the connection closed.
 */
export function clientErrorHandler(err: NodeJS.ErrnoException, socket: Duplex) {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const [code, detail]: [ErrorCode, string] =
    err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? ['request_timeout', 'the request did not arrive in time']
      : err.code === 'HPE_HEADER_OVERFLOW' ? ['headers_too_large', 'the request headers are larger than the gateway accepts']
        : ['validation_failed', 'the request is not valid HTTP'];
  const status = ERROR_STATUS[code];
  const body = JSON.stringify(problemBody(code, detail));
  if (socket.writable) {
    socket.write(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  }
  socket.destroy(err);
}

export function problem(reply: FastifyReply, req: FastifyRequest, code: ErrorCode, detail: string, issues?: Issue[], extensions?: Record<string, unknown>) {
  return reply
    .status(ERROR_STATUS[code])
    .type('application/problem+json')
    .send(problemBody(code, detail, clip(pathOf(req.url)), issues, extensions));
}

function problemBody(code: ErrorCode, detail: string, instance?: string, issues?: Issue[], extensions?: Record<string, unknown>) {
  return {
    ...extensions,
    type: `https://weft.dev/problems/${code.replace(/_/g, '-')}`,
    title: TITLES[code],
    status: ERROR_STATUS[code],
    detail,
    ...(instance !== undefined ? { instance } : {}),
    ...(issues?.length ? { errors: issues } : {}),
  };
}

const pathOf = (url: string) => url.split('?')[0] ?? '';
/** A path echoed back is cut short: a 1 MB path parameter must not come back as a 1 MB answer. */
const clip = (s: string) => (s.length > 512 ? `${s.slice(0, 512)}…` : s);

const UNAVAILABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', '57P01', '57P03', '08006', '08001', '08003', 'P1001', 'P2024']);

type ErrorChain = { code?: unknown; cause?: unknown; message?: string; meta?: unknown } | undefined;

function isUnavailable(err: unknown): boolean {
  for (let e = err as ErrorChain, depth = 0; e && depth < 5; e = e.cause as ErrorChain, depth++) {
    if (typeof e.code === 'string' && UNAVAILABLE_CODES.has(e.code)) return true;
    if (/Connection terminated|connect ECONNREFUSED|Can't reach database|Stream isn't writeable|Connection is closed/i.test(e.message ?? '')) return true;
  }
  return false;
}

/** Prisma's codes for a value the database refused: too long, not valid for its type, out of range. */
const PRISMA_DATA_CODES = new Set(['P2000', 'P2007', 'P2020', 'P2033']);
/** Postgres data exceptions (class 22) and "stack depth limit exceeded" (a value nested too deep for it). */
const isPostgresDataCode = (code: string) => /^22[0-9A-Z]{3}$/.test(code) || code === '54001';

/** Why Postgres refused a value of the request, when that is what the error is (else undefined). */
function refusedByDatabase(err: unknown): string | undefined {
  for (let e = err as ErrorChain, depth = 0; e && depth < 5; e = e.cause as ErrorChain, depth++) {
    const code = typeof e.code === 'string' ? e.code : '';
    const message = (e.message ?? '').trim().split('\n').pop() ?? '';
    if (isPostgresDataCode(code) || PRISMA_DATA_CODES.has(code)) return message;
    const wrapped = /Code: `(\w{5})`/.exec(message)?.[1];
    if (code === 'P2039' && wrapped && isPostgresDataCode(wrapped)) return message;
  }
  return undefined;
}
