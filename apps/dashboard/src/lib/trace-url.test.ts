import { describe, expect, it } from 'vitest';
import { traceUrl } from './trace-url';

const id = '4bf92f3577b34da6a3ce929d0e0e4736';

describe('traceUrl', () => {
  it('puts the trace id where the template says, every time it says so', () => {
    expect(traceUrl('http://jaeger:16686/trace/{traceId}', id)).toBe(`http://jaeger:16686/trace/${id}`);
    expect(traceUrl('https://g.example/explore?q={traceId}&t={traceId}', id)).toBe(`https://g.example/explore?q=${id}&t=${id}`);
  });

  it('gives no link without a template, or for an id that is not a trace id', () => {
    expect(traceUrl(null, id)).toBeNull();
    expect(traceUrl('http://jaeger/trace/{traceId}', 'x"><script>')).toBeNull();
  });
});
