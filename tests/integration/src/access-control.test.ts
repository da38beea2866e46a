import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLoneGateway, type LoneGateway } from './lone-gateway';
import { rawRequest, type RawAnswer } from './raw-http';
import { callWithSession, signInByMagicLink } from './session-http';

let gw: LoneGateway;
beforeAll(async () => {
  gw = await startLoneGateway();
});
afterAll(async () => {
  await gw?.stop();
});

const UUID = '0b7c2f7e-8d1a-4c3e-9f00-3a5e2d1c4b6a';
/** A concrete path for a route URL: every parameter filled with a value its schema accepts. */
const fill = (url: string) => url.replace(/:(\w+)/g, (_, name: string) => (name === 'name' ? 'API_TOKEN' : UUID));

/**
 * Other spellings of one `/v1/...` path that a lenient router, proxy or hook might treat as the
 * same path: percent-encoded letters and slashes, duplicate slashes, case, dot segments, trailing
 * slash, `;` parameters, `?`/`#` tricks, double encoding, backslashes, NUL, absolute form.
 */
function spellings(path: string): string[] {
  const rest = path.slice('/v1/'.length);
  const encodeAll = (p: string) => p.split('/').map((seg) => [...seg].map((c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`).join('')).join('/');
  return [
    `/%76${path.slice(2)}`,
    `/%56${path.slice(2)}`,
    `/%76%31/${rest}`,
    encodeAll(path),
    `/v1%2F${rest}`,
    `/v1%2f${rest.replaceAll('/', '%2f')}`,
    `/${path.slice(1).replaceAll('/', '%2F')}`,
    `//v1/${rest}`,
    `/v1//${rest}`,
    `/V1/${rest}`,
    path.toUpperCase(),
    `/v1/./${rest}`,
    `/./v1/${rest}`,
    `/v1/x/../${rest}`,
    `/v1/x/%2e%2e/${rest}`,
    `/v1/%2e/${rest}`,
    `/x/../v1/${rest}`,
    `${path}/`,
    `${path}/.`,
    `${path};`,
    `/v1;/${rest}`,
    `${path};x=1`,
    `${path};.json`,
    `/v1;x=/${rest}`,
    `${path}?`,
    `${path}??x`,
    `${path}?/v1/`,
    `/v1%3F/${rest}`,
    `${path}%3F`,
    `${path}%23`,
    `${path}#x`,
    `/%2576${path.slice(2)}`,
    `/v1\\${rest.replaceAll('/', '\\')}`,
    `${path}%00`,
    `${path}%20`,
    `http://127.0.0.1${path}`,
  ];
}

describe('Who may call a route is decided on the matched route, whatever the URL spelling', () => {
  it('has a declaration for every route, and the docs, health, metrics, OpenAPI, sign-in, approval-link, template gallery and profile routes are the only public ones', () => {
    const table = gw.app.accessTable;
    expect(table.length).toBeGreaterThan(25);
    const publicUrls = new Set(table.filter((r) => r.access === 'public').map((r) => r.url));
    // Sign-in routes are how a caller without credentials gets a session: each is rate-limited
    // (magic link), single-use (its verify link), bound to a state cookie (GitHub), harmless
    // (the providers list), or only ends the session it is sent with (sign-out, CSRF-checked).
    // The gallery and profiles show published templates only; a template's page view only moves a
    // counter (no visitor data), the one public POST outside sign-in.
    const VIEW_COUNTER = '/v1/templates/:idOrSlug/views';
    // The OAuth callback of connections is answered only for a signed, single-use, expiring state (docs/connections.md).
    const SIGN_IN = ['/v1/auth/magic-link', '/v1/auth/magic-link/verify', '/v1/auth/github', '/v1/auth/github/callback', '/v1/auth/providers', '/v1/auth/sign-out', '/v1/oauth/callback'];
    // An approval link's token is its credential: random, stored hashed, single-use, expiring; its GET only describes (docs/approvals.md).
    SIGN_IN.push('/v1/approval-links/:token');
    for (const url of publicUrls) if (!SIGN_IN.includes(url)) expect(url).toMatch(/^\/(healthz|readyz|metrics|openapi\.json|docs(\/.*)?|v1\/templates(\/:idOrSlug(\/views|\/stats)?)?|v1\/profiles\/:handle)$/);
    expect(table.filter((r) => r.access !== 'public').every((r) => r.url.startsWith('/v1/'))).toBe(true);
    expect(table.filter((r) => r.access === 'public' && r.url.startsWith('/v1/') && !SIGN_IN.includes(r.url) && r.url !== VIEW_COUNTER).every((r) => r.method === 'GET' || r.method === 'HEAD')).toBe(true);
    expect(table).toContainEqual(expect.objectContaining({ method: 'GET', url: '/v1/runs/:id/live', websocket: true }));
  });

  it('refuses every non-public route without a key (401 or 404, never 2xx, never 500), in every spelling, over real HTTP', async () => {
    const routes = gw.app.accessTable.filter((r) => r.access !== 'public');
    const wrong: string[] = [];
    let sent = 0;
    for (const route of routes) {
      const path = fill(route.url);
      // The plain spelling reaches the route, so its answer must be the route's refusal: exactly 401.
      const plain = await rawRequest(gw.url, route.method, path, {}, route.websocket).catch((e: Error): RawAnswer => ({ status: -1, headers: {}, body: e.message }));
      sent++;
      if (plain.status !== 401 || !String(plain.headers['content-type']).startsWith('application/problem+json')) wrong.push(`${route.method} ${path} → ${plain.status}`);
      for (const target of spellings(path)) {
        const r = await rawRequest(gw.url, route.method, target, {}, route.websocket).catch((e: Error): RawAnswer => ({ status: -1, headers: {}, body: e.message }));
        sent++;
        const problem = String(r.headers['content-type']).startsWith('application/problem+json');
        if (![401, 404].includes(r.status) || !problem) wrong.push(`${route.method} ${target} → ${r.status} ${r.body.slice(0, 120)}`);
      }
    }
    expect(wrong).toEqual([]);
    expect(sent).toBeGreaterThan(routes.length * 30);
  });

  it('answers 400 to a request target that is not a path at all', async () => {
    const r = await rawRequest(gw.url, 'GET', '%2Fv1%2Fcatalog%2Fnodes');
    expect(r.status).toBe(400);
  });

  it('refuses the live WebSocket without a key, and with a bad key sent as an encoded access_token', async () => {
    const path = `/%761/runs/${UUID}/live`;
    expect((await rawRequest(gw.url, 'GET', path, {}, true)).status).toBe(401);
    expect((await rawRequest(gw.url, 'GET', `${path}?access%5Ftoken=nope`, {}, true)).status).toBe(401);
  });

  it('answers 404 problem+json for unmatched URLs, with or without a key', async () => {
    for (const target of ['/v1/teleporters', '/%761/teleporters', '/v2/workflows', '/']) {
      const r = await rawRequest(gw.url, 'GET', target);
      expect(r.status).toBe(404);
      expect(r.headers['content-type']).toContain('application/problem+json');
    }
  });

  it('refuses at startup a route that does not declare who may call it, and answers 401 (not 500) where a handler reads a caller nobody authenticated', async () => {
    const unstarted = await startLoneGateway({ listen: false });
    try {
      const { app } = unstarted;
      expect(() => app.get('/v1/undeclared', async () => 'open')).toThrow(/does not declare who may call it/);
      expect(() => app.get('/v1/typo', { config: { access: { permission: 'runs:delete' as never } } }, async () => 'open')).toThrow(/does not declare/);
      app.get('/probe', { config: { access: 'public' } }, async (req) => req.auth.orgId);
      const r = await app.inject({ method: 'GET', url: '/probe' });
      expect(r.statusCode).toBe(401);
      expect(r.headers['content-type']).toContain('application/problem+json');
    } finally {
      await unstarted.stop();
    }
  });
});

describe('A role grants permissions, and each route needs one', () => {
  const call = async (key: string, method: string, url: string, body?: unknown) => {
    const r = await fetch(`${gw.url}${url}`, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: r.status, type: r.headers.get('content-type') ?? '', body: (await r.json()) as { detail?: string } };
  };

  it('lets a viewer read but not write, naming the missing permission in a 403 problem', async () => {
    const viewer = await gw.keyWithRole('viewer');
    expect((await call(viewer, 'GET', '/v1/workflows')).status).toBe(200);
    expect((await call(viewer, 'GET', '/v1/secrets')).status).toBe(200);
    const denied = await call(viewer, 'POST', '/v1/workflows', { name: 'nope' });
    expect(denied.status).toBe(403);
    expect(denied.type).toContain('application/problem+json');
    expect(denied.body.detail).toContain('workflows:write');
    expect((await call(viewer, 'POST', '/v1/runs', { workflowId: UUID })).status).toBe(403);
    expect((await call(viewer, 'POST', '/v1/secrets', { name: 'X', value: 'y' })).status).toBe(403);
  });

  it('lets an operator run workflows but not edit them, and an editor edit them but not manage secrets', async () => {
    const operator = await gw.keyWithRole('operator');
    expect((await call(operator, 'POST', '/v1/runs', { workflowId: UUID })).status).toBe(404);
    expect((await call(operator, 'POST', '/v1/workflows', { name: 'nope' })).status).toBe(403);
    const editor = await gw.keyWithRole('editor');
    expect((await call(editor, 'POST', '/v1/workflows', { name: 'yes' })).status).toBe(201);
    expect((await call(editor, 'DELETE', '/v1/secrets/API_TOKEN')).status).toBe(403);
  });

  it('gives a role that is not in the table no permission at all', async () => {
    const ghost = await gw.keyWithRole('constructor');
    for (const [method, url] of [['GET', '/v1/workflows'], ['GET', '/v1/catalog/nodes'], ['GET', '/v1/runs']] as const) {
      expect((await call(ghost, method, url)).status).toBe(403);
    }
  });
});

describe('A signed-in session (cookie) on every route of the table', () => {
  it('is refused with 403 on every mutation route without the CSRF header, and passes the check with it', async () => {
    const s = await signInByMagicLink(gw.url, gw.db.pool, `csrf.${Date.now()}@example.com`);
    const mutations = gw.app.accessTable.filter((r) => r.access !== 'public' && !['GET', 'HEAD', 'OPTIONS'].includes(r.method));
    expect(mutations.length).toBeGreaterThan(10);
    const wrong: string[] = [];
    for (const route of mutations) {
      const path = fill(route.url);
      const body = route.method === 'DELETE' ? undefined : {};
      const without = await callWithSession(gw.url, s, route.method, path, body, { csrf: false });
      if (without.status !== 403 || !String(without.body.detail).includes('x-weft-csrf')) wrong.push(`no token: ${route.method} ${route.url} → ${without.status}`);
      // With the token the owner gets past both checks: whatever comes back is the route's own answer (not 401/403).
      if (route.url === '/v1/auth/sign-out-everywhere') continue;
      // Platform-admin routes refuse every org role, an owner's session too (feature-flags.test.ts signs in an admin).
      if (typeof route.access === 'object' && route.access.permission === 'platform:admin') continue;
      const withToken = await callWithSession(gw.url, s, route.method, path, body);
      if ([401, 403].includes(withToken.status) || withToken.status >= 500) wrong.push(`token: ${route.method} ${route.url} → ${withToken.status}`);
    }
    expect(wrong).toEqual([]);
  });
});
