import { context, propagation, trace } from '@opentelemetry/api';
import type { SpanProcessor } from '@opentelemetry/sdk-trace';
import { tracingWanted, type TelemetryEnv } from './config';
import { setTracingEnabled } from './spans';

export interface Telemetry {
  /** Whether spans are recorded and exported. */
  enabled: boolean;
  /** Flushes the spans not exported yet and stops the SDK. */
  shutdown(): Promise<void>;
}

export interface TelemetryOptions {
  /** The service's parsed environment (its `OTEL_*` keys: `baseEnv` of @weft/config). */
  env?: TelemetryEnv;
  /** Span processors to use instead of the `OTEL_*` exporters (tests: an in-memory exporter); turns tracing on. */
  spanProcessors?: SpanProcessor[];
}

const OFF: Telemetry = { enabled: false, shutdown: async () => {} };

let started: Telemetry | undefined;

/**
 * Starts OpenTelemetry tracing for a service, first thing in its main: `@opentelemetry/sdk-node`
 * configured by the standard `OTEL_*` variables (exporter, endpoint, headers, sampler, resource
 * attributes). Off unless asked for (see `tracingWanted`): then the SDK is not even loaded and the
 * span helpers return at once. Metrics and logs stay Weft's own (Prometheus, pino). Started once per process.
 */
export async function startTelemetry(serviceName: string, o: TelemetryOptions = {}): Promise<Telemetry> {
  if (started) return started;
  if (!o.spanProcessors && !tracingWanted(o.env ?? {})) return OFF;
  const { NodeSDK } = await import('@opentelemetry/sdk-node');
  const sdk = new NodeSDK({
    serviceName: o.env?.OTEL_SERVICE_NAME || serviceName,
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: [],
    ...(o.spanProcessors ? { spanProcessors: o.spanProcessors } : {}),
  });
  sdk.start();
  setTracingEnabled(true);
  const telemetry: Telemetry = {
    enabled: true,
    shutdown: async () => {
      setTracingEnabled(false);
      started = undefined;
      await sdk.shutdown();
      // Unregistered, so that a later start (the next test file of a worker) may register again.
      trace.disable();
      context.disable();
      propagation.disable();
    },
  };
  started = telemetry;
  return telemetry;
}
