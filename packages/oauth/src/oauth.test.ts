import { createHash } from 'node:crypto';
import { Keyring } from '@weft/crypto';
import { describe, expect, it } from 'vitest';
import { authorizationUrl, codeVerifierOf, endpointsFromEnv, openCredentials, parseTokenAnswer, sealCredentials, signState, stateIdOf, tokenRequestBody, verifyState } from './index';

const now = new Date('2026-12-13T10:00:00Z');
const ORG = '0190f1c4-0000-7000-8000-000000000001';
const CONN = '0190f1c4-0000-7000-8000-000000000002';
const STATE = '0190f1c4-0000-7000-8000-000000000003';

describe('token answers', () => {
  it("reads Google's JSON shape (expiry from expires_in) and its invalid_grant as needing a reconnect", () => {
    const ok = parseTokenAnswer('google', 200, { access_token: 'ya29.x', expires_in: 3599, refresh_token: '1//r', scope: 's', token_type: 'Bearer' }, now);
    expect(ok).toEqual({ ok: true, tokens: { accessToken: 'ya29.x', refreshToken: '1//r', expiresAt: new Date(now.getTime() + 3_599_000), scope: 's' } });
    const refused = parseTokenAnswer('google', 400, { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' }, now);
    expect(refused).toEqual({ ok: false, failure: { error: 'invalid_grant', description: 'Token has been expired or revoked.', reconnect: true, retryable: false } });
    expect(parseTokenAnswer('google', 503, 'oops', now)).toMatchObject({ ok: false, failure: { error: 'unexpected_response', reconnect: false, retryable: true } });
    expect(parseTokenAnswer('google', 200, { token_type: 'Bearer' }, now)).toMatchObject({ ok: false, failure: { error: 'unexpected_response' } });
  });

  it("reads Slack's oauth.v2.access shape: ok/error in a 200, the team as the account", () => {
    const ok = parseTokenAnswer('slack', 200, { ok: true, access_token: 'xoxe.xoxb-1', token_type: 'bot', refresh_token: 'xoxe-1-r', expires_in: 43200, team: { id: 'T1', name: 'Acme' } }, now);
    expect(ok).toMatchObject({ ok: true, tokens: { accessToken: 'xoxe.xoxb-1', refreshToken: 'xoxe-1-r', account: 'Acme', expiresAt: new Date(now.getTime() + 43_200_000) } });
    // A Slack app without token rotation: a token that does not expire and no refresh token.
    expect(parseTokenAnswer('slack', 200, { ok: true, access_token: 'xoxb-2', team: null }, now)).toMatchObject({ ok: true, tokens: { accessToken: 'xoxb-2', expiresAt: undefined, refreshToken: undefined } });
    expect(parseTokenAnswer('slack', 200, { ok: false, error: 'invalid_refresh_token' }, now)).toMatchObject({ ok: false, failure: { error: 'invalid_refresh_token', reconnect: true, retryable: false } });
    expect(parseTokenAnswer('slack', 200, { ok: false, error: 'ratelimited' }, now)).toMatchObject({ ok: false, failure: { reconnect: false } });
  });

  it('builds the form of both grants with client_secret_post', () => {
    const code = new URLSearchParams(tokenRequestBody({ type: 'authorization_code', code: 'c', redirectUri: 'https://app/cb', codeVerifier: 'v' }, { clientId: 'id', clientSecret: 's' }));
    expect(Object.fromEntries(code)).toEqual({ grant_type: 'authorization_code', client_id: 'id', client_secret: 's', code: 'c', redirect_uri: 'https://app/cb', code_verifier: 'v' });
    const refresh = new URLSearchParams(tokenRequestBody({ type: 'refresh_token', refreshToken: 'r' }, { clientId: 'id', clientSecret: 's' }));
    expect(Object.fromEntries(refresh)).toEqual({ grant_type: 'refresh_token', client_id: 'id', client_secret: 's', refresh_token: 'r' });
  });
});

describe('authorization URL', () => {
  const endpoints = endpointsFromEnv({});
  it("asks Google for offline access with an S256 challenge of the verifier, scopes space-separated", () => {
    const url = new URL(authorizationUrl({ provider: 'google', endpoints: endpoints.google!, clientId: 'cid', redirectUri: 'https://w/cb', scopes: ['a', 'b'], state: 'st', codeVerifier: 'verifier' }));
    expect(url.origin + url.pathname).toBe('https://accounts.google.com/o/oauth2/v2/auth');
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      response_type: 'code', client_id: 'cid', redirect_uri: 'https://w/cb', scope: 'a b', state: 'st', access_type: 'offline', prompt: 'consent',
      code_challenge: createHash('sha256').update('verifier').digest('base64url'), code_challenge_method: 'S256',
    });
  });

  it('joins Slack scopes with commas and sends no PKCE; env overrides endpoints; the generic provider needs both URLs', () => {
    const url = new URL(authorizationUrl({ provider: 'slack', endpoints: endpoints.slack!, clientId: 'cid', redirectUri: 'https://w/cb', scopes: ['chat:write', 'channels:read'], state: 'st', codeVerifier: 'v' }));
    expect(url.searchParams.get('scope')).toBe('chat:write,channels:read');
    expect(url.searchParams.has('code_challenge')).toBe(false);
    expect(endpoints.generic).toBeUndefined();
    const custom = endpointsFromEnv({ WEFT_OAUTH_SLACK_TOKEN_URL: 'http://127.0.0.1:9/token', WEFT_OAUTH_GENERIC_AUTHORIZE_URL: 'https://id.example/auth', WEFT_OAUTH_GENERIC_TOKEN_URL: 'https://id.example/token' });
    expect(custom.slack).toEqual({ authorizeUrl: 'https://slack.com/oauth/v2/authorize', tokenUrl: 'http://127.0.0.1:9/token' });
    expect(custom.generic).toEqual({ authorizeUrl: 'https://id.example/auth', tokenUrl: 'https://id.example/token' });
  });
});

describe('state and vault', () => {
  const keyring = Keyring.generate('k1');
  const binding = { stateId: STATE, orgId: ORG, userId: 'user:u1', connectionId: CONN, expiresAt: now };

  it('signs the state over everything it is bound to; any other binding, key or byte fails', () => {
    const state = signState(keyring, 'k1', binding);
    expect(stateIdOf(state)).toBe(STATE);
    expect(verifyState(keyring, 'k1', binding, state)).toBe(true);
    expect(verifyState(keyring, 'k1', { ...binding, userId: 'user:u2' }, state)).toBe(false);
    expect(verifyState(keyring, 'k1', { ...binding, orgId: CONN }, state)).toBe(false);
    expect(verifyState(keyring, 'k1', { ...binding, expiresAt: new Date(now.getTime() + 1) }, state)).toBe(false);
    expect(verifyState(Keyring.generate('k1'), 'k1', binding, state)).toBe(false);
    expect(verifyState(keyring, 'k1', binding, `${state.slice(0, -1)}${state.endsWith('A') ? 'B' : 'A'}`)).toBe(false);
    expect(stateIdOf('not-a-state')).toBeUndefined();
    expect(codeVerifierOf(keyring, 'k1', STATE)).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(codeVerifierOf(keyring, 'k1', STATE)).not.toBe(codeVerifierOf(keyring, 'k1', CONN));
  });

  it('seals credentials bound to org, connection and version', () => {
    const creds = { clientSecret: 'cs', accessToken: 'at', refreshToken: 'rt' };
    const e = sealCredentials(keyring, ORG, CONN, 2, creds);
    expect(e.ciphertext.includes(Buffer.from('rt'))).toBe(false);
    expect(openCredentials(keyring, ORG, CONN, 2, e)).toEqual(creds);
    expect(() => openCredentials(keyring, ORG, CONN, 1, e)).toThrow(/authentication failed/);
    expect(() => openCredentials(keyring, ORG, STATE, 2, e)).toThrow(/authentication failed/);
  });
});
