import pino, { type Logger, type LoggerOptions } from 'pino';
import { activeSecretMasker } from './mask';

export type { Logger };
export { MIN_MASKED_LENGTH, SECRET_MASK, SecretMasker, activeSecretMasker, maskSecrets, registerActiveSecrets, secretForms } from './mask';

/**
 * Paths redacted from every log line. Configs and outputs are never logged whole; these catch
 * credentials that slip into headers or error details.
 */
export const REDACT_PATHS = [
  'authorization',
  'cookie',
  'headers.authorization',
  'headers.cookie',
  'headers["set-cookie"]',
  'headers["x-api-key"]',
  'headers["proxy-authorization"]',
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'req.headers["proxy-authorization"]',
  'res.headers["set-cookie"]',
  '*.headers.authorization',
  '*.headers.cookie',
  '*.headers["x-api-key"]',
  'apiKey',
  'password',
  'secret',
  'secrets',
  'token',
  'accessToken',
  'refreshToken',
  'clientSecret',
  '*.authorization',
  '*.cookie',
  '*.password',
  '*.secret',
  '*.secrets',
  '*.token',
  '*.apiKey',
  '*.accessToken',
  '*.refreshToken',
  '*.clientSecret',
];

export interface LoggerConfig {
  service: string;
  level?: LoggerOptions['level'];
  /** Where lines go (default stdout); tests pass a stream that captures them. */
  destination?: pino.DestinationStream;
}

/**
 * A pino logger with the service name bound and secret redaction on: credential-looking fields
 * are redacted by path, and the values of secrets resolved for running steps
 * (registerActiveSecrets) are masked wherever they appear in a line.
 */
export function createLogger({ service, level = 'info', destination }: LoggerConfig): Logger {
  const options: LoggerOptions = {
    level,
    base: { service },
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
    hooks: {
      logMethod(args, method) {
        const masker = activeSecretMasker();
        if (masker.empty) return method.apply(this, args);
        return method.apply(this, masker.mask(args) as typeof args);
      },
    },
  };
  return destination ? pino(options, destination) : pino(options);
}

/** Child logger carrying the correlation ids of one run/step/request. */
export function withContext(
  logger: Logger,
  ids: { requestId?: string; runId?: string; stepId?: string; nodeId?: string; orgId?: string; traceId?: string; spanId?: string },
): Logger {
  const bindings: Record<string, string> = {};
  if (ids.requestId) bindings.request_id = ids.requestId;
  if (ids.runId) bindings.run_id = ids.runId;
  if (ids.stepId) bindings.step_id = ids.stepId;
  if (ids.nodeId) bindings.node_id = ids.nodeId;
  if (ids.orgId) bindings.org_id = ids.orgId;
  if (ids.traceId) bindings.trace_id = ids.traceId;
  if (ids.spanId) bindings.span_id = ids.spanId;
  return logger.child(bindings);
}
