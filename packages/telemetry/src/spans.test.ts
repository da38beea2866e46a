import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contextOf, endSpan, inSpan, logIdsOf, startSpan, traceparentOf, tracingEnabled } from './spans';
import { startMemoryTracing } from './testing';

describe('span helpers with tracing off', () => {
  it('start nothing and give no ids', () => {
    expect(tracingEnabled()).toBe(false);
    const span = startSpan('x', { parent: null });
    expect(span).toBeUndefined();
    expect(traceparentOf(span)).toBeNull();
    expect(logIdsOf(span)).toEqual({});
    expect(inSpan(span, () => 7)).toBe(7);
  });

  it('read no context from a malformed traceparent', () => {
    expect(contextOf('garbage')).toBe(contextOf(null));
  });
});

describe('span helpers with tracing on', () => {
  let tracing: Awaited<ReturnType<typeof startMemoryTracing>>;
  beforeAll(async () => void (tracing = await startMemoryTracing()));
  afterAll(async () => tracing.shutdown());

  it('carry a span across processes as a traceparent: the later span is its child, in its trace', async () => {
    const root = startSpan('root', { parent: null })!;
    const carried = traceparentOf(root)!;
    expect(carried).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    endSpan(root);
    const later = startSpan('later', { parent: carried, attributes: { 'weft.run_id': 'r1' } })!;
    const child = inSpan(later, () => startSpan('child'))!;
    endSpan(child);
    endSpan(later, { code: 'timeout' });
    await tracing.flush();
    const [r, l, c] = ['root', 'later', 'child'].map((n) => tracing.spans().find((s) => s.name === n)!);
    expect(l!.spanContext().traceId).toBe(r!.spanContext().traceId);
    expect(l!.parentSpanContext?.spanId).toBe(r!.spanContext().spanId);
    expect(c!.parentSpanContext?.spanId).toBe(l!.spanContext().spanId);
    expect(l!.status).toMatchObject({ code: 2, message: 'timeout' });
    expect(l!.attributes).toMatchObject({ 'weft.run_id': 'r1', 'error.type': 'timeout' });
    expect(logIdsOf(later)).toEqual({ trace_id: r!.spanContext().traceId, span_id: l!.spanContext().spanId });
  });
});
