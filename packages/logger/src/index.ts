import pino, { type Logger, type LoggerOptions } from 'pino';

export type { Logger };

/**
 * Paths redacted from every log line. Configs and outputs are never logged whole; these catch
 * credentials that slip into headers or error details.
 */
export const REDACT_PATHS = [
  'authorization',
  'headers.authorization',
  'headers.cookie',
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'apiKey',
  'password',
  'secret',
  'secrets',
  'token',
  '*.authorization',
  '*.password',
  '*.secret',
  '*.token',
  '*.apiKey',
];

export interface LoggerConfig {
  service: string;
  level?: LoggerOptions['level'];
  /** Extra plaintext values to mask wherever they appear in a message (e.g. resolved secrets). */
  destination?: pino.DestinationStream;
}

/** A pino logger with the service name bound and secret redaction on. */
export function createLogger({ service, level = 'info', destination }: LoggerConfig): Logger {
  const options: LoggerOptions = {
    level,
    base: { service },
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  return destination ? pino(options, destination) : pino(options);
}

/** Child logger carrying the correlation ids of one run/step/request. */
export function withContext(
  logger: Logger,
  ids: { requestId?: string; runId?: string; stepId?: string; nodeId?: string },
): Logger {
  const bindings: Record<string, string> = {};
  if (ids.requestId) bindings.request_id = ids.requestId;
  if (ids.runId) bindings.run_id = ids.runId;
  if (ids.stepId) bindings.step_id = ids.stepId;
  if (ids.nodeId) bindings.node_id = ids.nodeId;
  return logger.child(bindings);
}

/** Replaces every occurrence of the given secret values (and their base64 forms) in a string. */
export function maskSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) {
    if (s.length < 4) continue;
    for (const form of [s, Buffer.from(s).toString('base64'), encodeURIComponent(s)]) {
      out = out.split(form).join('[secret]');
    }
  }
  return out;
}
