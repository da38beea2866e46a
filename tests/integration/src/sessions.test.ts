import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callAs } from './accounts-http';
import { startLoneGateway, type LoneGateway } from './lone-gateway';
import { callWithSession, getManual, latestLinkToken, mailCount, setCookies, signInByMagicLink } from './session-http';

// One gateway on loopback with a clock the test moves: sessions and links expire without waiting.
const HOUR = 3_600_000;
let clock = Date.now();
let gw: LoneGateway;
beforeAll(async () => {
  gw = await startLoneGateway({
    app: {
      corsOrigins: ['http://localhost:3000'],
      auth: {
        appUrl: 'http://studio.test',
        now: () => new Date(clock),
        sessionIdleMs: 2 * HOUR,
        sessionAbsoluteMs: 10 * HOUR,
        magicLinkTtlMs: 15 * 60_000,
        limits: { magicLinkPerIp: { capacity: 1000, windowMs: HOUR }, magicLinkPerEmail: { capacity: 3, windowMs: HOUR } },
      },
    },
  });
});
afterAll(async () => {
  await gw?.stop();
});

let n = 0;
const freshEmail = () => `person${++n}.${Date.now()}@example.com`;
const ask = (email: string, headers: Record<string, string> = {}) =>
  fetch(`${gw.url}/v1/auth/magic-link`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ email }) });

describe('Signing in by magic link', () => {
  it('answers 202 with the same body for a new and a known email, and mails a link either way', async () => {
    const known = freshEmail();
    await signInByMagicLink(gw.url, gw.db.pool, known);
    const unknown = freshEmail();
    const a = await ask(known);
    const b = await ask(unknown);
    expect([a.status, b.status]).toEqual([202, 202]);
    expect(await a.text()).toBe(await b.text());
    expect(await mailCount(gw.db.pool, unknown)).toBe(1);
    expect(await mailCount(gw.db.pool, known)).toBe(2);
  });

  it('refuses a malformed email with a 400 naming body.email', async () => {
    const r = await ask('not an email');
    expect(r.status).toBe(400);
    expect(JSON.stringify(await r.json())).toContain('email');
  });

  it('sets an httpOnly, SameSite=Lax session cookie (not Secure over http) and redirects to the app', async () => {
    const email = freshEmail();
    await ask(email);
    const r = await getManual(`${gw.url}/v1/auth/magic-link/verify?token=${await latestLinkToken(gw.db.pool, email)}`);
    expect(r.status).toBe(303);
    expect(r.headers.get('location')).toBe('http://studio.test/');
    const line = setCookies(r).lines.find((l) => l.startsWith('weft_session='))!;
    expect(line).toMatch(/; HttpOnly/i);
    expect(line).toMatch(/; SameSite=Lax/i);
    expect(line).toMatch(/; Path=\//);
    expect(line).toMatch(/; Max-Age=36000/);
    expect(line).not.toMatch(/; Secure/i);
    // Only the token's hash is stored.
    const token = setCookies(r).pairs.get('weft_session')!;
    const { rows } = await gw.db.pool.query(`SELECT count(*)::int AS n FROM sessions WHERE token_hash = $1`, [token]);
    expect(rows[0].n).toBe(0);
  });

  it('creates the user at first sign-in with a personal org where they are owner, shown by GET /v1/me', async () => {
    const email = freshEmail();
    const s = await signInByMagicLink(gw.url, gw.db.pool, email.toUpperCase());
    const me = await callWithSession(gw.url, s, 'GET', '/v1/me');
    expect(me.status).toBe(200);
    expect(me.body.user.email).toBe(email);
    expect(me.body.role).toBe('owner');
    expect(me.body.orgs).toEqual([expect.objectContaining({ id: me.body.org.id, role: 'owner' })]);
    expect(me.body.permissions).toContain('org:delete');
    expect(me.body.session.csrfToken).toBe(s.csrf);
    expect(me.body.apiKey).toBeUndefined();
  });

  it('uses a link once: the second visit lands on the sign-in page with an error and no cookie', async () => {
    const email = freshEmail();
    await ask(email);
    const token = await latestLinkToken(gw.db.pool, email);
    expect((await getManual(`${gw.url}/v1/auth/magic-link/verify?token=${token}`)).status).toBe(303);
    const again = await getManual(`${gw.url}/v1/auth/magic-link/verify?token=${token}`);
    expect(again.headers.get('location')).toBe('http://studio.test/sign-in?error=invalid_link');
    expect(setCookies(again).pairs.has('weft_session')).toBe(false);
  });

  it('refuses a link older than its 15 minutes', async () => {
    const email = freshEmail();
    await ask(email);
    const token = await latestLinkToken(gw.db.pool, email);
    clock += 15 * 60_000 + 1;
    const r = await getManual(`${gw.url}/v1/auth/magic-link/verify?token=${token}`);
    expect(r.headers.get('location')).toContain('error=invalid_link');
  });

  it('sends at most the per-email allowance per hour, still answering 202 past it', async () => {
    const email = freshEmail();
    for (let i = 0; i < 5; i++) expect((await ask(email)).status).toBe(202);
    expect(await mailCount(gw.db.pool, email)).toBe(3);
  });
});

describe('A session', () => {
  it('is refused once idle longer than the idle timeout, and kept alive by use', async () => {
    const s = await signInByMagicLink(gw.url, gw.db.pool, freshEmail());
    clock += 1.5 * HOUR;
    expect((await callWithSession(gw.url, s, 'GET', '/v1/me')).status).toBe(200);
    clock += 1.5 * HOUR; // 3 h after sign-in, 1.5 h after the last use
    expect((await callWithSession(gw.url, s, 'GET', '/v1/me')).status).toBe(200);
    clock += 2 * HOUR;
    const r = await callWithSession(gw.url, s, 'GET', '/v1/me');
    expect(r.status).toBe(401);
    expect(r.body.detail).toContain('expired');
  });

  it('ends at its absolute expiry however active it is', async () => {
    const s = await signInByMagicLink(gw.url, gw.db.pool, freshEmail());
    for (let h = 0; h < 9; h++) {
      clock += HOUR;
      expect((await callWithSession(gw.url, s, 'GET', '/v1/me')).status).toBe(200);
    }
    clock += HOUR;
    expect((await callWithSession(gw.url, s, 'GET', '/v1/me')).status).toBe(401);
  });

  it('rotates at sign-in: the token the browser held before no longer works', async () => {
    const email = freshEmail();
    const first = await signInByMagicLink(gw.url, gw.db.pool, email);
    const second = await signInByMagicLink(gw.url, gw.db.pool, email, first);
    expect(second.cookie).not.toBe(first.cookie);
    expect(second.csrf).not.toBe(first.csrf);
    expect((await callWithSession(gw.url, first, 'GET', '/v1/me')).status).toBe(401);
    expect((await callWithSession(gw.url, second, 'GET', '/v1/me')).status).toBe(200);
  });

  it('signs out (with the CSRF header only): the cookie is cleared and the token refused', async () => {
    const s = await signInByMagicLink(gw.url, gw.db.pool, freshEmail());
    expect((await callWithSession(gw.url, s, 'POST', '/v1/auth/sign-out', undefined, { csrf: false })).status).toBe(403);
    const out = await callWithSession(gw.url, s, 'POST', '/v1/auth/sign-out');
    expect(out.status).toBe(204);
    expect(setCookies(out.response).lines.find((l) => l.startsWith('weft_session='))).toMatch(/Expires=Thu, 01 Jan 1970/);
    expect((await callWithSession(gw.url, s, 'GET', '/v1/me')).status).toBe(401);
  });

  it('signs out everywhere: every session of the user ends, other users keep theirs', async () => {
    const email = freshEmail();
    const laptop = await signInByMagicLink(gw.url, gw.db.pool, email);
    const phone = await signInByMagicLink(gw.url, gw.db.pool, email);
    const other = await signInByMagicLink(gw.url, gw.db.pool, freshEmail());
    const r = await callWithSession(gw.url, phone, 'POST', '/v1/auth/sign-out-everywhere');
    expect(r.status).toBe(200);
    expect(r.body.revoked).toBe(2);
    expect((await callWithSession(gw.url, laptop, 'GET', '/v1/me')).status).toBe(401);
    expect((await callWithSession(gw.url, phone, 'GET', '/v1/me')).status).toBe(401);
    expect((await callWithSession(gw.url, other, 'GET', '/v1/me')).status).toBe(200);
    expect((await callAs(gw.url, gw.apiKey, 'POST', '/v1/auth/sign-out-everywhere')).status).toBe(400);
  });
});

describe('CSRF protection of cookie-authenticated mutations', () => {
  it('refuses a signed-in mutation without the CSRF header or with a wrong one (403), and accepts it with the right one', async () => {
    const s = await signInByMagicLink(gw.url, gw.db.pool, freshEmail());
    const none = await callWithSession(gw.url, s, 'POST', '/v1/workflows', { name: 'x' }, { csrf: false });
    expect(none.status).toBe(403);
    expect(none.body.detail).toContain('x-weft-csrf');
    expect((await callWithSession(gw.url, s, 'POST', '/v1/workflows', { name: 'x' }, { csrf: 'A'.repeat(43) })).status).toBe(403);
    expect((await callWithSession(gw.url, s, 'POST', '/v1/workflows', { name: 'x' })).status).toBe(201);
    // Reads need no token.
    expect((await callWithSession(gw.url, s, 'GET', '/v1/workflows', undefined, { csrf: false })).status).toBe(200);
  });

  it('refuses a signed-in request from another origin, even a read', async () => {
    const s = await signInByMagicLink(gw.url, gw.db.pool, freshEmail());
    expect((await callWithSession(gw.url, s, 'GET', '/v1/me', undefined, { headers: { origin: 'https://evil.example' } })).status).toBe(403);
    expect((await callWithSession(gw.url, s, 'GET', '/v1/me', undefined, { headers: { origin: 'http://studio.test' } })).status).toBe(200);
    expect((await callWithSession(gw.url, s, 'GET', '/v1/me', undefined, { headers: { origin: 'http://localhost:3000' } })).status).toBe(200);
  });

  it('leaves API-key requests alone: no CSRF header needed, even with a session cookie beside the key', async () => {
    const s = await signInByMagicLink(gw.url, gw.db.pool, freshEmail());
    expect((await callAs(gw.url, gw.apiKey, 'POST', '/v1/workflows', { name: 'by key' })).status).toBe(201);
    const both = await callWithSession(gw.url, s, 'POST', '/v1/workflows', { name: 'by key' }, { csrf: false, headers: { authorization: `Bearer ${gw.apiKey}` } });
    expect(both.status).toBe(201);
    expect(both.body.createdBy.type).toBe('api_key');
  });
});

describe('The org of a session request (Weft-Org)', () => {
  it("acts in the user's first org by default, in another org by id or slug, and refuses an org the user is not a member of", async () => {
    const s = await signInByMagicLink(gw.url, gw.db.pool, freshEmail());
    const me = await callWithSession(gw.url, s, 'GET', '/v1/me');
    const home = me.body.org.id;
    const foreign = await callWithSession(gw.url, s, 'GET', '/v1/workflows', undefined, { headers: { 'weft-org': 'default' } });
    expect(foreign.status).toBe(403);
    expect(foreign.body.detail).toContain('not a member');
    expect((await callWithSession(gw.url, s, 'GET', '/v1/me', undefined, { headers: { 'weft-org': gw.orgId } })).status).toBe(403);
    // Made a viewer of org "default": there, the role is the membership's.
    await gw.db.pool.query(`INSERT INTO memberships (id, org_id, user_id, role) VALUES (gen_random_uuid(), $1, $2, 'viewer')`, [gw.orgId, me.body.user.id]);
    const asViewer = { headers: { 'weft-org': 'default' } };
    expect((await callWithSession(gw.url, s, 'GET', '/v1/me', undefined, asViewer)).body).toMatchObject({ org: { id: gw.orgId }, role: 'viewer' });
    expect((await callWithSession(gw.url, s, 'GET', '/v1/workflows', undefined, asViewer)).status).toBe(200);
    expect((await callWithSession(gw.url, s, 'POST', '/v1/workflows', { name: 'no' }, asViewer)).status).toBe(403);
    // Default org unchanged; the workflow made at home is not visible from "default".
    const created = await callWithSession(gw.url, s, 'POST', '/v1/workflows', { name: 'home' });
    expect(created.status).toBe(201);
    expect((await callWithSession(gw.url, s, 'GET', `/v1/workflows/${created.body.id}`, undefined, asViewer)).status).toBe(404);
    expect((await callWithSession(gw.url, s, 'GET', '/v1/me')).body.org.id).toBe(home);
    expect((await callWithSession(gw.url, s, 'GET', '/v1/me')).body.orgs).toHaveLength(2);
  });

  it('records the user as the creator of what a session makes', async () => {
    const s = await signInByMagicLink(gw.url, gw.db.pool, freshEmail());
    const me = await callWithSession(gw.url, s, 'GET', '/v1/me');
    const wf = await callWithSession(gw.url, s, 'POST', '/v1/workflows', { name: 'mine' });
    expect(wf.body.createdBy).toEqual({ type: 'user', id: me.body.user.id });
  });

  it('tags a run a signed-in person starts as manual, and one an API key starts as api', async () => {
    const s = await signInByMagicLink(gw.url, gw.db.pool, freshEmail());
    const definition = { nodes: [{ id: 'trigger', type: 'trigger', config: {} }], edges: [] };
    const wf = await callWithSession(gw.url, s, 'POST', '/v1/workflows', { name: 'by hand', definition });
    expect((await callWithSession(gw.url, s, 'POST', `/v1/workflows/${wf.body.id}/versions`, {})).status).toBe(201);
    const byHand = await callWithSession(gw.url, s, 'POST', '/v1/runs', { workflowId: wf.body.id });
    expect(byHand.status).toBe(202);
    expect((await callWithSession(gw.url, s, 'GET', `/v1/runs/${byHand.body.runId}`)).body).toMatchObject({ triggerType: 'manual', triggerId: null });
    const keyWf = await callAs(gw.url, gw.apiKey, 'POST', '/v1/workflows', { name: 'by key', definition });
    await callAs(gw.url, gw.apiKey, 'POST', `/v1/workflows/${keyWf.body.id}/versions`, {});
    const byKey = await callAs(gw.url, gw.apiKey, 'POST', '/v1/runs', { workflowId: keyWf.body.id });
    expect((await callAs(gw.url, gw.apiKey, 'GET', `/v1/runs/${byKey.body.runId}`)).body).toMatchObject({ triggerType: 'api', triggerId: null });
  });
});

describe('Magic links per client address', () => {
  it('answers 429 with Retry-After once the address has used its allowance, before anything is sent', async () => {
    const strict = await startLoneGateway({ app: { auth: { limits: { magicLinkPerIp: { capacity: 2, windowMs: HOUR } } } } });
    try {
      const send = (email: string) => fetch(`${strict.url}/v1/auth/magic-link`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email }) });
      expect((await send('a@example.com')).status).toBe(202);
      expect((await send('b@example.com')).status).toBe(202);
      const refused = await send('c@example.com');
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(refused.headers.get('content-type')).toContain('application/problem+json');
      expect(await mailCount(strict.db.pool, 'c@example.com')).toBe(0);
    } finally {
      await strict.stop();
    }
  });
});
