export { ATTR } from './attributes';
export { tracingWanted, type TelemetryEnv } from './config';
export { SpanKind, SpanStatusCode, activeSpan, contextOf, endSpan, inSpan, logIdsOf, startSpan, traceparentOf, tracingEnabled, withSpan, type Attributes, type Span, type SpanOptions } from './spans';
export { startTelemetry, type Telemetry, type TelemetryOptions } from './start';
