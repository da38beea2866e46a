import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLoneGateway, type LoneGateway } from './lone-gateway';

let gw: LoneGateway;
beforeAll(async () => {
  gw = await startLoneGateway({ listen: false });
});
afterAll(async () => {
  await gw?.stop();
});

const directives = (csp: unknown) => new Map(String(csp).split(';').map((d) => d.trim().split(/\s+/)).filter((d) => d[0]).map(([name, ...values]) => [name!, values]));

describe('The gateway sends security headers on every answer', () => {
  it('forbids framing, sniffing, referrers and loading anything, on answers, errors and unknown routes alike', async () => {
    const answers = [
      await gw.app.inject({ method: 'GET', url: '/healthz' }),
      await gw.app.inject({ method: 'GET', url: '/v1/workflows', headers: { authorization: `Bearer ${gw.apiKey}` } }),
      await gw.app.inject({ method: 'GET', url: '/v1/workflows' }),
      await gw.app.inject({ method: 'GET', url: '/v1/nowhere' }),
      await gw.app.inject({ method: 'GET', url: '/openapi.json' }),
    ];
    expect(answers.map((a) => a.statusCode)).toEqual([200, 200, 401, 404, 200]);
    for (const a of answers) {
      const csp = directives(a.headers['content-security-policy']);
      expect(csp.get('default-src')).toEqual(["'none'"]);
      expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
      expect(a.headers['x-content-type-options']).toBe('nosniff');
      expect(a.headers['referrer-policy']).toBe('no-referrer');
      expect(a.headers['x-frame-options']).toBe('DENY');
    }
  });

  it('lets the docs page load its own scripts and styles (and nothing from elsewhere), still unframeable', async () => {
    const page = await gw.app.inject({ method: 'GET', url: '/docs/' });
    expect(page.statusCode).toBe(200);
    const csp = directives(page.headers['content-security-policy']);
    expect(csp.get('script-src')).toEqual(["'self'"]);
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    // No inline script (the policy has no 'unsafe-inline' for scripts), and every asset is served.
    expect(page.body).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    const assets = [...page.body.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => new URL(m[1]!, 'http://gw/docs/').pathname);
    expect(assets.length).toBeGreaterThanOrEqual(5);
    for (const path of [...assets, '/docs/json']) {
      const r = await gw.app.inject({ method: 'GET', url: path });
      expect(r.statusCode, path).toBe(200);
      expect(directives(r.headers['content-security-policy']).get('script-src'), path).toEqual(["'self'"]);
    }
  });
});
