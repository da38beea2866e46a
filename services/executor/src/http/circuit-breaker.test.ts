import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { AddressPolicy } from './address-policy';
import { CircuitBreakers } from './circuit-breaker';
import { StepHttpClient } from './client';

const A = { orgId: 'org-a', host: 'api.example.com' };
const B = { orgId: 'org-b', host: 'api.example.com' };

describe('CircuitBreakers', () => {
  it('opens after N consecutive failures, fails fast, half-opens after the cool-down and closes on success', () => {
    let now = 0;
    const b = new CircuitBreakers(3, 1000, () => now);
    for (let i = 0; i < 2; i++) b.failure(A);
    expect(() => b.before(A)).not.toThrow();
    b.failure(A);
    expect(b.state(A)).toBe('open');
    expect(() => b.before(A)).toThrow(expect.objectContaining({ code: 'circuit_open', retryable: true }));
    expect(() => b.before({ orgId: 'org-a', host: 'other.example.com' })).not.toThrow();
    now = 1000;
    expect(() => b.before(A)).not.toThrow(); // the trial
    expect(() => b.before(A)).toThrow(expect.objectContaining({ details: expect.objectContaining({ circuit: 'half-open' }) }));
    b.success(A);
    expect(b.state(A)).toBe('closed');
  });

  it('re-opens when the half-open trial fails, and a success resets the count', () => {
    let now = 0;
    const h = { orgId: 'o', host: 'h' };
    const b = new CircuitBreakers(2, 500, () => now);
    b.failure(h);
    b.success(h);
    b.failure(h);
    expect(b.state(h)).toBe('closed');
    b.failure(h);
    expect(b.state(h)).toBe('open');
    now = 600;
    b.before(h);
    b.failure(h);
    expect(b.state(h)).toBe('open');
    expect(() => b.before(h)).toThrow();
  });

  it("keeps one org's failures from opening another org's circuit to the same host", () => {
    const b = new CircuitBreakers(3, 60_000, () => 0);
    for (let i = 0; i < 10; i++) b.failure(A);
    expect(b.state(A)).toBe('open');
    expect(() => b.before(A)).toThrow(expect.objectContaining({ code: 'circuit_open' }));
    expect(b.state(B)).toBe('closed');
    expect(() => b.before(B)).not.toThrow();
    // B's own success does not close A's circuit either.
    b.success(B);
    expect(b.state(A)).toBe('open');
  });

  it('stays bounded: past the cap the least recently failed circuit is forgotten', () => {
    const b = new CircuitBreakers(1, 60_000, () => 0, 100);
    for (let i = 0; i < 1000; i++) b.failure({ orgId: `org-${i}`, host: `h${i % 7}.example.com` });
    expect(b.size).toBe(100);
    expect(b.state({ orgId: 'org-999', host: `h${999 % 7}.example.com` })).toBe('open');
    expect(b.state({ orgId: 'org-0', host: 'h0.example.com' })).toBe('closed');
    // Successes forget circuits at once.
    for (let i = 900; i < 1000; i++) b.success({ orgId: `org-${i}`, host: `h${i % 7}.example.com` });
    expect(b.size).toBe(0);
  });
});

describe('StepHttpClient with circuit breakers', () => {
  it("fails fast for the org whose calls failed and still calls the host for another org", async () => {
    let hits = 0;
    const server = createServer((req, res) => {
      hits += 1;
      res.writeHead(req.url === '/down' ? 503 : 200, { 'content-type': 'application/json' });
      res.end('{}');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const client = new StepHttpClient(new AddressPolicy('127.0.0.0/8'), 1024 * 1024, new CircuitBreakers(2, 3_600_000));
    const call = (orgId: string, path: string) => client.send({ orgId, method: 'GET', url: `${url}${path}`, headers: {}, signal: AbortSignal.timeout(10_000) });
    try {
      for (let i = 0; i < 2; i++) expect((await call('org-a', '/down')).status).toBe(503);
      await expect(call('org-a', '/up')).rejects.toMatchObject({ code: 'circuit_open' });
      expect(hits).toBe(2);
      expect((await call('org-b', '/up')).status).toBe(200);
      expect(hits).toBe(3);
    } finally {
      await client.close();
      await new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      });
    }
  });
});
