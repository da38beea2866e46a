import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeGitHub } from './fake-github';
import { startLoneGateway, type LoneGateway } from './lone-gateway';
import { callWithSession, getManual, setCookies, signInByMagicLink } from './session-http';

// The gateway signs in through a local server that speaks GitHub's OAuth web flow and user API.
let gw: LoneGateway;
let github: Awaited<ReturnType<typeof startFakeGitHub>>;
beforeAll(async () => {
  github = await startFakeGitHub('Iv1.client', 'shh-secret');
  gw = await startLoneGateway({
    app: {
      auth: {
        appUrl: 'https://studio.test',
        authBaseUrl: 'https://studio.test/api/weft',
        github: { clientId: 'Iv1.client', clientSecret: 'shh-secret', oauthUrl: github.url, apiUrl: github.url },
      },
    },
  });
});
afterAll(async () => {
  await gw?.stop();
  await github?.close();
});

/** The browser's walk: start → GitHub's consent page → back to the callback with the state cookie. */
async function signInWithGitHub(login: string, opts: { state?: string } = {}) {
  const start = await getManual(`${gw.url}/v1/auth/github`);
  expect(start.status).toBe(302);
  const stateCookie = setCookies(start).pairs.get('weft_oauth_state')!;
  const authorize = new URL(start.headers.get('location')!);
  authorize.searchParams.set('login_hint', login);
  const consent = await getManual(authorize.toString());
  const back = new URL(consent.headers.get('location')!);
  if (opts.state) back.searchParams.set('state', opts.state);
  // The callback URL points at the studio's proxy; the test calls the gateway behind it.
  return getManual(`${gw.url}/v1/auth/github/callback${back.search}`, `weft_oauth_state=${stateCookie}`);
}

describe('Signing in with GitHub', () => {
  it("redirects to GitHub's authorize endpoint with the client id, the callback, the scopes and a state cookie", async () => {
    const r = await getManual(`${gw.url}/v1/auth/github`);
    const to = new URL(r.headers.get('location')!);
    expect(`${to.origin}${to.pathname}`).toBe(`${github.url}/login/oauth/authorize`);
    expect(to.searchParams.get('client_id')).toBe('Iv1.client');
    expect(to.searchParams.get('redirect_uri')).toBe('https://studio.test/api/weft/v1/auth/github/callback');
    expect(to.searchParams.get('scope')).toBe('read:user user:email');
    const state = setCookies(r).lines.find((l) => l.startsWith('weft_oauth_state='))!;
    expect(state).toContain(`weft_oauth_state=${to.searchParams.get('state')};`);
    expect(state).toMatch(/HttpOnly/i);
  });

  it('signs a new user in by their verified primary email, with a Secure cookie over https, and /v1/me shows them', async () => {
    github.addUser({ id: 101, login: 'octo', name: 'Octo Cat', emails: [{ email: 'octo@old.example', primary: false, verified: true }, { email: 'Octo@Example.com', primary: true, verified: true }] });
    const r = await signInWithGitHub('octo');
    expect(r.status).toBe(303);
    expect(r.headers.get('location')).toBe('https://studio.test/');
    const line = setCookies(r).lines.find((l) => l.startsWith('weft_session='))!;
    expect(line).toMatch(/; Secure/i);
    expect(line).toMatch(/; HttpOnly/i);
    const me = await callWithSession(gw.url, { cookie: `weft_session=${setCookies(r).pairs.get('weft_session')}`, csrf: '' }, 'GET', '/v1/me');
    expect(me.body.user).toMatchObject({ email: 'octo@example.com', name: 'Octo Cat' });
    expect(me.body.role).toBe('owner');
    expect(github.tokenRequests.at(-1)).toMatchObject({ clientId: 'Iv1.client', redirectUri: 'https://studio.test/api/weft/v1/auth/github/callback' });
  });

  it('finds the user who signed in by email before, by that email, and links GitHub to them', async () => {
    const email = `linked.${Date.now()}@example.com`;
    const byLink = await signInByMagicLink(gw.url, gw.db.pool, email);
    const before = (await callWithSession(gw.url, byLink, 'GET', '/v1/me')).body.user.id;
    github.addUser({ id: 202, login: 'linker', name: null, emails: [{ email, primary: true, verified: true }] });
    const r = await signInWithGitHub('linker');
    const me = await callWithSession(gw.url, { cookie: `weft_session=${setCookies(r).pairs.get('weft_session')}`, csrf: '' }, 'GET', '/v1/me');
    expect(me.body.user.id).toBe(before);
    const { rows } = await gw.db.pool.query(`SELECT github_id FROM users WHERE id = $1`, [before]);
    expect(rows[0].github_id).toBe('202');
  });

  it('refuses a callback whose state does not match the cookie, and an account without a verified primary email', async () => {
    github.addUser({ id: 303, login: 'mallory', name: null, emails: [{ email: 'm@example.com', primary: true, verified: false }] });
    const forged = await signInWithGitHub('mallory', { state: 'forged-state' });
    expect(forged.headers.get('location')).toBe('https://studio.test/sign-in?error=github_state');
    expect(setCookies(forged).pairs.has('weft_session')).toBe(false);
    const unverified = await signInWithGitHub('mallory');
    expect(unverified.headers.get('location')).toBe('https://studio.test/sign-in?error=github_no_verified_email');
    expect(setCookies(unverified).pairs.has('weft_session')).toBe(false);
  });

  it('turns a code GitHub refuses into a sign-in error, not a 500', async () => {
    const start = await getManual(`${gw.url}/v1/auth/github`);
    const state = new URL(start.headers.get('location')!).searchParams.get('state');
    const r = await getManual(`${gw.url}/v1/auth/github/callback?code=nope&state=${state}`, `weft_oauth_state=${setCookies(start).pairs.get('weft_oauth_state')}`);
    expect(r.status).toBe(303);
    expect(r.headers.get('location')).toBe('https://studio.test/sign-in?error=github_failed');
  });
});

describe('GitHub sign-in when not configured', () => {
  it('answers 404 problem+json on both routes, and says so in the providers', async () => {
    const plain = await startLoneGateway();
    try {
      expect((await getManual(`${plain.url}/v1/auth/github`)).status).toBe(404);
      expect((await getManual(`${plain.url}/v1/auth/github/callback?code=x&state=y`)).status).toBe(404);
      expect(await (await fetch(`${plain.url}/v1/auth/providers`)).json()).toEqual({ email: true, github: false });
      expect(await (await fetch(`${gw.url}/v1/auth/providers`)).json()).toEqual({ email: true, github: true });
    } finally {
      await plain.stop();
    }
  });
});
