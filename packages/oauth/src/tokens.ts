import { z } from 'zod';
import { PROVIDERS, type ProviderId } from './providers';

/** A grant sent to a token endpoint: the authorization code (with its PKCE verifier) or a refresh token. */
export type TokenGrant =
  | { type: 'authorization_code'; code: string; redirectUri: string; codeVerifier?: string | undefined }
  | { type: 'refresh_token'; refreshToken: string };

/** The form body of a token request; the client authenticates with client_secret_post (both Google and Slack take it). */
export function tokenRequestBody(grant: TokenGrant, client: { clientId: string; clientSecret: string }): string {
  const form = new URLSearchParams({ grant_type: grant.type, client_id: client.clientId, client_secret: client.clientSecret });
  if (grant.type === 'authorization_code') {
    form.set('code', grant.code);
    form.set('redirect_uri', grant.redirectUri);
    if (grant.codeVerifier) form.set('code_verifier', grant.codeVerifier);
  } else {
    form.set('refresh_token', grant.refreshToken);
  }
  return form.toString();
}

/** The tokens of a connected account, as stored (encrypted) and used. */
export interface TokenSet {
  accessToken: string;
  /** Absent when the provider gives none (a Slack app without token rotation: its token does not expire). */
  refreshToken?: string | undefined;
  /** When the access token stops working; absent: it does not expire. */
  expiresAt?: Date | undefined;
  scope?: string | undefined;
  /** Who was connected, where the answer says (Slack: the workspace name). */
  account?: string | undefined;
}

/** Why a token request failed: `reconnect` when only a new consent can fix it (revoked, expired, unknown refresh token). */
export interface TokenError {
  error: string;
  description?: string | undefined;
  reconnect: boolean;
  retryable: boolean;
}

export type TokenAnswer = { ok: true; tokens: TokenSet } | { ok: false; failure: TokenError };

/** RFC 6749 §5.1 (Google's shape: access_token, expires_in, refresh_token, scope, token_type). */
const Rfc6749Tokens = z.object({
  access_token: z.string().min(1),
  token_type: z.string().optional(),
  expires_in: z.coerce.number().positive().optional(),
  refresh_token: z.string().min(1).optional(),
  scope: z.string().optional(),
});

/** RFC 6749 §5.2 error body. */
const Rfc6749Error = z.object({ error: z.string().min(1), error_description: z.string().optional() });

/** Slack's oauth.v2.access: `{ ok: true, access_token (bot), refresh_token?, expires_in?, team }` or `{ ok: false, error }`. */
const SlackAnswer = z.object({
  ok: z.boolean(),
  error: z.string().optional(),
  access_token: z.string().min(1).optional(),
  refresh_token: z.string().min(1).optional(),
  expires_in: z.coerce.number().positive().optional(),
  scope: z.string().optional(),
  team: z.object({ id: z.string().optional(), name: z.string().optional() }).nullish(),
});

/** Error codes after which only the user's new consent helps (RFC 6749 §5.2 and Slack's oauth.v2.access errors). */
const RECONNECT_ERRORS = new Set(['invalid_grant', 'invalid_refresh_token', 'invalid_code', 'code_already_used', 'token_revoked', 'token_expired', 'invalid_client', 'unauthorized_client', 'bad_client_secret', 'invalid_client_id']);

const failure = (error: string, description?: string, status?: number): TokenAnswer => ({
  ok: false,
  failure: { error, description, reconnect: RECONNECT_ERRORS.has(error), retryable: !RECONNECT_ERRORS.has(error) && (status === undefined || status >= 500 || status === 429) },
});

const expiry = (now: Date, seconds: number | undefined) => (seconds === undefined ? undefined : new Date(now.getTime() + seconds * 1000));

/**
 * Reads a token endpoint's answer (status and parsed JSON body) in the provider's shape. Never
 * puts a token into the failure: a failure carries the provider's error code and description only.
 */
export function parseTokenAnswer(provider: ProviderId, status: number, body: unknown, now: Date): TokenAnswer {
  if (PROVIDERS[provider].tokenShape === 'slack') {
    const s = SlackAnswer.safeParse(body);
    if (status !== 200 || !s.success) return failure(s.success && s.data.error ? s.data.error : 'unexpected_response', `HTTP ${status}`, status);
    if (!s.data.ok || !s.data.access_token) return failure(s.data.error ?? 'missing_access_token', undefined, 400);
    return { ok: true, tokens: { accessToken: s.data.access_token, refreshToken: s.data.refresh_token, expiresAt: expiry(now, s.data.expires_in), scope: s.data.scope, account: s.data.team?.name } };
  }
  if (status === 200) {
    const t = Rfc6749Tokens.safeParse(body);
    if (!t.success) return failure('unexpected_response', 'the token answer has no access_token', 502);
    return { ok: true, tokens: { accessToken: t.data.access_token, refreshToken: t.data.refresh_token, expiresAt: expiry(now, t.data.expires_in), scope: t.data.scope } };
  }
  const e = Rfc6749Error.safeParse(body);
  return e.success ? failure(e.data.error, e.data.error_description, status) : failure('unexpected_response', `HTTP ${status}`, status);
}
