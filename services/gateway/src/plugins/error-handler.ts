import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import type { Issue } from '@weft/workflow-schema';
import { AppError, ERROR_STATUS, type ErrorCode } from '../errors';

/** Answers every error as RFC 9457 problem+json; nothing but real bugs becomes a 500. */
export function registerErrorHandler(app: FastifyInstance) {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (err instanceof AppError) return problem(reply, req, err.code, err.message, err.issues);
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
    if (isResponseSerializationError(err)) {
      req.log.error({ err }, 'response did not match its schema');
      return problem(reply, req, 'internal', 'the server produced an invalid answer');
    }
    if (isUnavailable(err)) {
      req.log.warn({ err }, 'dependency unavailable');
      return problem(reply, req, 'unavailable', 'a dependency (database or queue) is unavailable; retry shortly');
    }
    const status = err.statusCode ?? 500;
    if (status < 500) {
      const code = (Object.entries(ERROR_STATUS).find(([, s]) => s === status)?.[0] ?? 'validation_failed') as ErrorCode;
      return problem(reply, req, code, err.message);
    }
    req.log.error({ err }, 'unhandled error');
    return problem(reply, req, 'internal', 'an unexpected error occurred');
  });

  app.setNotFoundHandler((req, reply) => problem(reply, req, 'not_found', `no route ${req.method} ${req.url.split('?')[0]}`));
}

export function problem(reply: FastifyReply, req: FastifyRequest, code: ErrorCode, detail: string, issues?: Issue[]) {
  const status = ERROR_STATUS[code];
  const err = new AppError(code, detail, issues);
  return reply
    .status(status)
    .type('application/problem+json')
    .send({
      type: `https://weft.dev/problems/${code.replace(/_/g, '-')}`,
      title: err.title,
      status,
      detail,
      instance: req.url.split('?')[0],
      ...(issues?.length ? { errors: issues } : {}),
    });
}

const UNAVAILABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', '57P01', '57P03', '08006', '08001', '08003', 'P1001', 'P2024']);

function isUnavailable(err: unknown): boolean {
  for (let e = err as { code?: string; cause?: unknown; message?: string } | undefined, depth = 0; e && depth < 5; e = e.cause as never, depth++) {
    if (e.code && UNAVAILABLE_CODES.has(e.code)) return true;
    if (/Connection terminated|connect ECONNREFUSED|Can't reach database|Stream isn't writeable|Connection is closed/i.test(e.message ?? '')) return true;
  }
  return false;
}
