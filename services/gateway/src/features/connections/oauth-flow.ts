import { asMaintenance, newId, withOrg } from '@weft/db';
import { authorizationUrl, codeVerifierOf, openCredentials, PROVIDERS, sealCredentials, signState, stateIdOf, verifyState } from '@weft/oauth';
import { rows, withTx } from '@weft/run-store';
import type { Principal } from '../../auth/principal';
import { principalRef } from '../../auth/principal';
import { AppError } from '../../errors';
import type { Resources } from '../../resources';
import { writeAudit } from '../audit/audit-writer';
import { CONNECTION_COLUMNS, getConnection, keyringOf, type ConnectionRow } from './connections.service';
import type { OAuthSettings } from './oauth-settings';
import { requestTokens } from './token-request';

interface StateRow {
  id: string;
  org_id: string;
  connection_id: string;
  user_id: string;
  kek_id: string;
  return_to: string;
  expires_at: Date;
}

/** The app URL the browser goes back to: a path of the app, or a URL of one of the allowed origins. */
export function returnUrl(settings: OAuthSettings, returnTo: string | undefined): string {
  const given = returnTo ?? '/connections';
  if (/^\/(?!\/)[^\s\\]*$/.test(given)) return new URL(given, settings.appUrl).toString();
  let url: URL | undefined;
  try {
    url = new URL(given);
  } catch {
    url = undefined;
  }
  if (!url || !settings.returnOrigins.has(url.origin)) {
    throw new AppError('validation_failed', 'returnTo must be a path of the app or a URL of the studio or the dashboard', [
      { path: 'query.returnTo', code: 'invalid_return_url', message: 'a path starting with a single /, or a URL of an allowed origin' },
    ]);
  }
  return url.toString();
}

/**
 * Starts the authorization-code flow of a connection: a state row (single-use, expiring, bound to
 * org, caller and connection), its signed `state`, and the consent page URL (with an S256 PKCE
 * challenge where the provider takes one; the verifier is derived from the state, stored nowhere).
 */
export async function startAuthorization(res: Resources, settings: OAuthSettings, actor: Principal, connectionId: string, returnTo: string | undefined) {
  const keyring = keyringOf(res);
  const conn = await getConnection(res, actor.orgId, connectionId);
  const endpoints = settings.endpoints[conn.provider];
  if (!endpoints) throw new AppError('invalid_state', `provider ${conn.provider} is not configured on this server`);
  const back = returnUrl(settings, returnTo);
  const binding = { stateId: newId(), orgId: actor.orgId, userId: principalRef(actor), connectionId: conn.id, expiresAt: new Date(Date.now() + settings.stateTtlMs) };
  const kekId = keyring.currentId;
  await res.db.pool.query(
    `INSERT INTO oauth_states (id, org_id, connection_id, user_id, kek_id, return_to, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [binding.stateId, binding.orgId, binding.connectionId, binding.userId, kekId, back, binding.expiresAt],
  );
  const authorizeUrl = authorizationUrl({
    provider: conn.provider,
    endpoints,
    clientId: conn.client_id,
    redirectUri: settings.redirectUri(),
    scopes: conn.scopes ? conn.scopes.split(' ') : [],
    state: signState(keyring, kekId, binding),
    ...(PROVIDERS[conn.provider].pkce ? { codeVerifier: codeVerifierOf(keyring, kekId, binding.stateId) } : {}),
  });
  return { authorizeUrl, expiresAt: binding.expiresAt.toISOString() };
}

const invalidState = () => new AppError('validation_failed', 'this authorization request is unknown, expired or already used: start connecting again', [
  { path: 'query.state', code: 'invalid_state', message: 'unknown, expired, already used or not signed by this server' },
]);

/** The app URL with the outcome of the callback (never a token). */
const outcome = (back: string, connectionId: string, status: 'connected' | 'error', reason?: string) => {
  const url = new URL(back);
  url.searchParams.set('connection', connectionId);
  url.searchParams.set('status', status);
  if (reason) url.searchParams.set('reason', reason);
  return url.toString();
};

/**
 * The provider's redirect: checks the state (signature, not used, not expired; marked used at
 * once), trades the code for tokens with the app's credentials (and the PKCE verifier), seals them
 * as the connection's next credential version, and answers the app URL to send the browser to.
 */
export async function finishAuthorization(res: Resources, settings: OAuthSettings, query: { code?: string | undefined; state?: string | undefined; error?: string | undefined }): Promise<string> {
  const keyring = keyringOf(res);
  const stateId = query.state ? stateIdOf(query.state) : undefined;
  if (!stateId || !query.state) throw invalidState();
  // The callback has no principal: the state row tells the org, read across orgs by its id alone.
  const [found] = await asMaintenance(() => rows<StateRow>(res.db.pool, `SELECT id, org_id, connection_id, user_id, kek_id, return_to, expires_at FROM oauth_states WHERE id = $1`, [stateId]));
  if (!found || !keyring.ids().includes(found.kek_id)) throw invalidState();
  const binding = { stateId: found.id, orgId: found.org_id, userId: found.user_id, connectionId: found.connection_id, expiresAt: found.expires_at };
  if (!verifyState(keyring, found.kek_id, binding, query.state)) throw invalidState();
  return withOrg(found.org_id, async () => {
    const [claimed] = await rows<{ id: string }>(res.db.pool, `UPDATE oauth_states SET used_at = now() WHERE id = $1 AND org_id = $2 AND used_at IS NULL AND expires_at > now() RETURNING id`, [found.id, found.org_id]);
    if (!claimed) throw invalidState();
    const [conn] = await rows<ConnectionRow>(res.db.pool, `SELECT ${CONNECTION_COLUMNS} FROM oauth_connections WHERE org_id = $1 AND id = $2`, [found.org_id, found.connection_id]);
    if (!conn) throw invalidState();
    if (query.error || !query.code) return outcome(found.return_to, conn.id, 'error', query.error ?? 'missing_code');
    const endpoints = settings.endpoints[conn.provider];
    if (!endpoints) return outcome(found.return_to, conn.id, 'error', 'provider_not_configured');
    const envelope = { ciphertext: conn.ciphertext, nonce: conn.nonce, wrappedKey: conn.wrapped_key, kekId: conn.kek_id };
    const creds = openCredentials(keyring, conn.org_id, conn.id, conn.credential_version, envelope);
    const answer = await requestTokens(conn.provider, endpoints.tokenUrl, {
      type: 'authorization_code',
      code: query.code,
      redirectUri: settings.redirectUri(),
      ...(PROVIDERS[conn.provider].pkce ? { codeVerifier: codeVerifierOf(keyring, found.kek_id, found.id) } : {}),
    }, { clientId: conn.client_id, clientSecret: creds.clientSecret });
    if (!answer.ok) {
      res.logger.warn({ connectionId: conn.id, provider: conn.provider, error: answer.failure.error }, 'OAuth code exchange refused');
      return outcome(found.return_to, conn.id, 'error', answer.failure.error);
    }
    const t = answer.tokens;
    await withTx(res.db.pool, async (c) => {
      // Under the row's lock, so a refresh running at the same moment cannot interleave versions.
      const [locked] = await rows<{ credential_version: number }>(c, `SELECT credential_version FROM oauth_connections WHERE org_id = $1 AND id = $2 FOR UPDATE`, [conn.org_id, conn.id]);
      if (!locked) return;
      const version = locked.credential_version + 1;
      const e = sealCredentials(keyring, conn.org_id, conn.id, version, { clientSecret: creds.clientSecret, accessToken: t.accessToken, ...(t.refreshToken ? { refreshToken: t.refreshToken } : {}) });
      await c.query(
        `UPDATE oauth_connections SET credential_version = $3, ciphertext = $4, nonce = $5, wrapped_key = $6, kek_id = $7, status = 'connected', status_reason = NULL,
           account = $8, expires_at = $9, connected_at = now(), refreshed_at = NULL, updated_at = now()
         WHERE org_id = $1 AND id = $2`,
        [conn.org_id, conn.id, version, e.ciphertext, e.nonce, e.wrappedKey, e.kekId, t.account ?? '', t.expiresAt ?? null],
      );
      const [type, ...rest] = found.user_id.split(':');
      await writeAudit(c, {
        orgId: conn.org_id,
        actorType: type === 'user' ? 'user' : 'api_key',
        actorId: rest.join(':'),
        action: 'connection.connected',
        targetType: 'connection',
        targetId: conn.id,
        data: { name: conn.name, provider: conn.provider, account: t.account ?? '', refreshToken: !!t.refreshToken },
      });
    });
    return outcome(found.return_to, conn.id, 'connected');
  });
}
