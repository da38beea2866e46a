import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** An OAuth app registered with a double: what a connection's clientId/clientSecret must match. */
export interface FakeApp {
  clientId: string;
  clientSecret: string;
}

/** The OAuth apps the browser tests' backend registers with its doubles (the specs create connections with them). */
export const E2E_OAUTH_APPS = {
  google: { clientId: 'e2e-google-client.apps.googleusercontent.com', clientSecret: 'e2e-google-client-secret' },
  slack: { clientId: '9999.8888', clientSecret: 'e2e-slack-client-secret' },
};

interface Grant {
  provider: 'google' | 'slack';
  clientId: string;
  redirectUri: string;
  scope: string;
  challenge?: string | undefined;
  used: boolean;
}

/** One provider's knobs and counters. */
export interface FakeProvider {
  /** Lifetime (s) of the access token the code exchange gives. */
  codeExpiresIn: number;
  /** Lifetime (s) of the access tokens refresh grants give. */
  refreshExpiresIn: number;
  /** Refresh grants answered with a new access token. */
  refreshes: number;
  /** Every refresh grant received (answered or refused). */
  refreshRequests: number;
  /** Code exchanges answered with tokens. */
  exchanges: number;
  /** The form fields of every token request (to check PKCE and client authentication). */
  tokenRequests: Record<string, string>[];
  /** Refuses every refresh token issued so far (the user revoked the app). */
  revokeAll(): void;
  /** While set, refresh grants are held (received and counted, not answered) until it resolves. */
  gate?: Promise<void> | undefined;
}

const rand = (n = 18) => randomBytes(n).toString('base64url');

/**
 * Loopback doubles of Google's and Slack's OAuth 2.0 endpoints, answering in their documented shapes:
 * - Google: `GET /google/o/oauth2/v2/auth` (302 to redirect_uri with code and state; PKCE S256 checked at
 *   the exchange) and `POST /google/token` (RFC 6749 JSON: access_token, expires_in, refresh_token,
 *   scope, token_type Bearer; errors 400 `{ error: 'invalid_grant', error_description }`; a refresh gives
 *   no new refresh token).
 * - Slack: `GET /slack/oauth/v2/authorize` and `POST /slack/api/oauth.v2.access` (200 `{ ok: true,
 *   access_token: 'xoxe.xoxb-…', token_type: 'bot', refresh_token, expires_in, team, authed_user }`, token
 *   rotation: every refresh rotates the refresh token; errors 200 `{ ok: false, error }`).
 * Every token it issues is recorded (`issued`), for leak scans; `isLive` tells the API doubles which
 * access tokens work.
 */
export async function startOAuthFakes(apps: { google: FakeApp; slack: FakeApp }) {
  const issued: string[] = [];
  const live = new Set<string>();
  const grants = new Map<string, Grant>();
  const refreshTokens = new Map<string, { provider: 'google' | 'slack'; clientId: string; scope: string }>();
  const provider = (): FakeProvider => {
    const p: FakeProvider = {
      codeExpiresIn: 3599,
      refreshExpiresIn: 3599,
      refreshes: 0,
      refreshRequests: 0,
      exchanges: 0,
      tokenRequests: [],
      revokeAll: () => undefined,
    };
    return p;
  };
  const google = provider();
  const slack = provider();
  google.revokeAll = () => revoke('google');
  slack.revokeAll = () => revoke('slack');
  function revoke(which: 'google' | 'slack') {
    for (const [t, r] of refreshTokens) if (r.provider === which) refreshTokens.delete(t);
  }
  const issue = (prefix: string) => {
    const t = `${prefix}${rand()}`;
    issued.push(t);
    return t;
  };

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (req.method === 'GET' && (url.pathname === '/google/o/oauth2/v2/auth' || url.pathname === '/slack/oauth/v2/authorize')) return authorize(url, res);
    if (req.method === 'POST' && url.pathname === '/google/token') {
      const f = await form(req);
      if (f.grant_type === 'refresh_token' && google.gate) {
        google.refreshRequests++;
        await google.gate;
        google.refreshRequests--;
      }
      return googleToken(f, res);
    }
    if (req.method === 'POST' && url.pathname === '/slack/api/oauth.v2.access') return slackToken(await form(req), res);
    json(res, 404, { error: 'not_found' });
  });

  function authorize(url: URL, res: ServerResponse) {
    const which = url.pathname.startsWith('/google') ? 'google' : 'slack';
    const q = Object.fromEntries(url.searchParams);
    const app = apps[which];
    if (q.client_id !== app.clientId || !q.redirect_uri || !q.state) return json(res, 400, { error: 'invalid_request' });
    const redirect = new URL(q.redirect_uri);
    if (q.deny === '1') {
      redirect.searchParams.set('error', 'access_denied');
    } else {
      const code = issue(which === 'google' ? '4/0A' : 'slack-code-');
      grants.set(code, { provider: which, clientId: q.client_id, redirectUri: q.redirect_uri, scope: q.scope ?? '', challenge: q.code_challenge, used: false });
      redirect.searchParams.set('code', code);
    }
    redirect.searchParams.set('state', q.state);
    res.writeHead(302, { location: redirect.toString() }).end();
  }

  function checkClient(which: 'google' | 'slack', f: Record<string, string>) {
    return f.client_id === apps[which].clientId && f.client_secret === apps[which].clientSecret;
  }

  /** The code exchange both providers share: the grant's client, redirect URI and PKCE verifier checked. */
  function exchange(which: 'google' | 'slack', f: Record<string, string>): Grant | string {
    const g = grants.get(f.code ?? '');
    if (!g || g.provider !== which || g.used) return which === 'google' ? 'invalid_grant' : 'invalid_code';
    g.used = true;
    if (g.redirectUri !== f.redirect_uri) return which === 'google' ? 'redirect_uri_mismatch' : 'bad_redirect_uri';
    if (g.challenge && createHash('sha256').update(f.code_verifier ?? '').digest('base64url') !== g.challenge) return 'invalid_grant';
    return g;
  }

  function googleToken(f: Record<string, string>, res: ServerResponse) {
    google.tokenRequests.push(f);
    if (!checkClient('google', f)) return json(res, 401, { error: 'invalid_client', error_description: 'The OAuth client was not found.' });
    if (f.grant_type === 'authorization_code') {
      const g = exchange('google', f);
      if (typeof g === 'string') return json(res, 400, { error: g, error_description: 'Bad Request' });
      const access = issue('ya29.a0');
      const refresh = issue('1//0g');
      live.add(access);
      refreshTokens.set(refresh, { provider: 'google', clientId: f.client_id!, scope: g.scope });
      google.exchanges++;
      return json(res, 200, { access_token: access, expires_in: google.codeExpiresIn, refresh_token: refresh, scope: g.scope, token_type: 'Bearer' });
    }
    if (f.grant_type === 'refresh_token') {
      google.refreshRequests++;
      const r = refreshTokens.get(f.refresh_token ?? '');
      if (!r || r.provider !== 'google') return json(res, 400, { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' });
      const access = issue('ya29.a0');
      live.add(access);
      google.refreshes++;
      return json(res, 200, { access_token: access, expires_in: google.refreshExpiresIn, scope: r.scope, token_type: 'Bearer' });
    }
    json(res, 400, { error: 'unsupported_grant_type' });
  }

  function slackToken(f: Record<string, string>, res: ServerResponse) {
    slack.tokenRequests.push(f);
    if (!checkClient('slack', f)) return json(res, 200, { ok: false, error: 'invalid_client_id' });
    const team = { id: 'T0001', name: 'Acme Inc' };
    if (f.grant_type === 'authorization_code' || f.grant_type === undefined) {
      const g = exchange('slack', f);
      if (typeof g === 'string') return json(res, 200, { ok: false, error: g });
      const access = issue('xoxe.xoxb-1-');
      const refresh = issue('xoxe-1-');
      live.add(access);
      refreshTokens.set(refresh, { provider: 'slack', clientId: f.client_id!, scope: g.scope });
      slack.exchanges++;
      return json(res, 200, { ok: true, app_id: 'A0001', authed_user: { id: 'U0001' }, scope: g.scope, token_type: 'bot', access_token: access, bot_user_id: 'U0BOT', refresh_token: refresh, expires_in: slack.codeExpiresIn, team, enterprise: null, is_enterprise_install: false });
    }
    if (f.grant_type === 'refresh_token') {
      slack.refreshRequests++;
      const r = refreshTokens.get(f.refresh_token ?? '');
      if (!r || r.provider !== 'slack') return json(res, 200, { ok: false, error: 'invalid_refresh_token' });
      // Token rotation: the old refresh token stops working, a new one comes with the new access token.
      refreshTokens.delete(f.refresh_token!);
      const access = issue('xoxe.xoxb-1-');
      const refresh = issue('xoxe-1-');
      live.add(access);
      refreshTokens.set(refresh, r);
      slack.refreshes++;
      return json(res, 200, { ok: true, app_id: 'A0001', scope: r.scope, token_type: 'bot', access_token: access, refresh_token: refresh, expires_in: slack.refreshExpiresIn, team, enterprise: null, is_enterprise_install: false });
    }
    json(res, 200, { ok: false, error: 'unsupported_grant_type' });
  }

  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    google,
    slack,
    issued,
    isLive: (token: string) => live.has(token),
    endpoints: {
      google: { authorizeUrl: `${base}/google/o/oauth2/v2/auth`, tokenUrl: `${base}/google/token` },
      slack: { authorizeUrl: `${base}/slack/oauth/v2/authorize`, tokenUrl: `${base}/slack/api/oauth.v2.access` },
    },
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}

function json(res: ServerResponse, status: number, data: unknown) {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(data));
}

async function form(req: IncomingMessage): Promise<Record<string, string>> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString()));
}
