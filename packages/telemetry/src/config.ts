/** The standard variables that turn tracing on (https://opentelemetry.io/docs/specs/otel/configuration/sdk-environment-variables/). */
export type TelemetryEnv = Partial<Record<'OTEL_SDK_DISABLED' | 'OTEL_TRACES_EXPORTER' | 'OTEL_EXPORTER_OTLP_ENDPOINT' | 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT' | 'OTEL_SERVICE_NAME', string | undefined>>;

/**
 * Whether a process exports traces. Off by default (unlike the OpenTelemetry default of OTLP to
 * localhost): on when `OTEL_TRACES_EXPORTER` names an exporter (`otlp`, `console`) or an OTLP
 * endpoint is set, and `OTEL_SDK_DISABLED` is not `true`. `OTEL_TRACES_EXPORTER=none` is off.
 */
export function tracingWanted(env: TelemetryEnv): boolean {
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return false;
  const exporters = (env.OTEL_TRACES_EXPORTER ?? '').split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
  if (exporters.length > 0) return !exporters.every((e) => e === 'none');
  return !!(env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim() || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim());
}
