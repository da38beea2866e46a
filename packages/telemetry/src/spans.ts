import { ROOT_CONTEXT, SpanKind, SpanStatusCode, context, isSpanContextValid, trace, type Attributes, type Context, type Span, type TimeInput } from '@opentelemetry/api';

export { SpanKind, SpanStatusCode, type Attributes, type Span };

/** Set by startTelemetry: while false every helper here returns at once (tracing off costs a boolean test). */
let enabled = false;

export function setTracingEnabled(on: boolean): void {
  enabled = on;
}

/** Whether spans are recorded in this process. */
export const tracingEnabled = (): boolean => enabled;

const tracer = () => trace.getTracer('weft');

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/** The context of a W3C `traceparent` (as stored on a run row), or the root context when there is none or it is malformed. */
export function contextOf(traceparent: string | null | undefined): Context {
  const m = traceparent ? TRACEPARENT.exec(traceparent) : null;
  if (!m) return ROOT_CONTEXT;
  return trace.setSpanContext(ROOT_CONTEXT, { traceId: m[1]!, spanId: m[2]!, traceFlags: parseInt(m[3]!, 16), isRemote: true });
}

/** The W3C `traceparent` of a span (null when tracing is off): what a run row keeps so that its work joins the trace. */
export function traceparentOf(span: Span | undefined): string | null {
  const c = span?.spanContext();
  if (!enabled || !c || !isSpanContextValid(c)) return null;
  return `00-${c.traceId}-${c.spanId}-${c.traceFlags.toString(16).padStart(2, '0')}`;
}

/** The ids a log line carries to find its span (empty when tracing is off). */
export function logIdsOf(span: Span | undefined): { trace_id?: string; span_id?: string } {
  const c = span?.spanContext();
  if (!enabled || !c || !isSpanContextValid(c)) return {};
  return { trace_id: c.traceId, span_id: c.spanId };
}

export interface SpanOptions {
  /** A traceparent (a run's), a span, or nothing for the active context. */
  parent?: string | null | Span;
  attributes?: Attributes;
  kind?: SpanKind;
  startTime?: TimeInput;
}

/** Starts a span (undefined when tracing is off); the caller ends it. */
export function startSpan(name: string, o: SpanOptions = {}): Span | undefined {
  if (!enabled) return undefined;
  const parent = o.parent === undefined ? context.active() : typeof o.parent === 'string' || o.parent === null ? contextOf(o.parent) : trace.setSpan(ROOT_CONTEXT, o.parent);
  return tracer().startSpan(name, { kind: o.kind ?? SpanKind.INTERNAL, ...(o.attributes ? { attributes: o.attributes } : {}), ...(o.startTime !== undefined ? { startTime: o.startTime } : {}) }, parent);
}

/** Ends a span, marking it failed with the error's class and code (never its message: it may quote data). */
export function endSpan(span: Span | undefined, err?: unknown, endTime?: TimeInput): void {
  if (!span) return;
  if (err !== undefined) {
    const code = (err as { code?: unknown } | null)?.code;
    span.setStatus({ code: SpanStatusCode.ERROR, ...(typeof code === 'string' ? { message: code } : {}) });
    span.setAttribute('error.type', typeof code === 'string' ? code : ((err as Error | null)?.name ?? 'Error'));
  }
  span.end(endTime);
}

/** Runs `fn` with `span` as the active span (children started inside without a parent are its children). */
export function inSpan<T>(span: Span | undefined, fn: () => T): T {
  if (!span) return fn();
  return context.with(trace.setSpan(context.active(), span), fn);
}

/** Runs `fn` in a new span that ends with it (failed if it throws). */
export async function withSpan<T>(name: string, o: SpanOptions, fn: (span: Span | undefined) => Promise<T>): Promise<T> {
  const span = startSpan(name, o);
  if (!span) return fn(undefined);
  try {
    const out = await inSpan(span, () => fn(span));
    endSpan(span);
    return out;
  } catch (err) {
    endSpan(span, err);
    throw err;
  }
}

/** The active span, if tracing is on. */
export const activeSpan = (): Span | undefined => (enabled ? trace.getActiveSpan() : undefined);
