import { CryptoError, type Keyring } from '@weft/crypto';
import { newId } from '@weft/db';
import { openCredentials, parseTokenAnswer, sealCredentials, tokenRequestBody, type ProviderEndpointMap, type ProviderId, type TokenAnswer } from '@weft/oauth';
import { withTx, type Queryable } from '@weft/run-store';
import { CONNECTION_NODE_PROVIDERS } from '@weft/workflow-schema';
import type { Pool } from 'pg';
import { StepFailure } from '../errors';
import type { StepHttpClient } from '../http/client';
import type { StepIds } from '../secrets/step-secrets';

/** What the executor needs to hand a step a connection's access token. */
export interface ConnectionDeps {
  pool: Pool;
  keyring?: Keyring | undefined;
  http: StepHttpClient;
  endpoints: ProviderEndpointMap;
  /** Refresh when the access token expires within this margin (ms). */
  refreshMarginMs: number;
}

interface Row {
  id: string;
  name: string;
  provider: ProviderId;
  client_id: string;
  status: string;
  status_reason: string | null;
  credential_version: number;
  ciphertext: Buffer;
  nonce: Buffer;
  wrapped_key: Buffer;
  kek_id: string;
  expires_at: Date | null;
}

const COLUMNS = 'id, name, provider, client_id, status, status_reason, credential_version, ciphertext, nonce, wrapped_key, kek_id, expires_at';

/** The name a node's config gives in `connection`, if its type takes one. */
export function connectionNameOf(nodeType: string, config: Record<string, unknown>): string | undefined {
  return Object.hasOwn(CONNECTION_NODE_PROVIDERS, nodeType) && typeof config.connection === 'string' ? config.connection : undefined;
}

const fresh = (row: Row, marginMs: number, now: number) => row.expires_at === null || row.expires_at.getTime() - marginMs > now;

function usable(row: Row | undefined, name: string, nodeType: string): Row {
  if (!row) throw new StepFailure('connection_not_found', `connection "${name}" does not exist in this org`, false, { connection: name });
  const wanted = CONNECTION_NODE_PROVIDERS[nodeType];
  if (wanted && row.provider !== wanted) {
    throw new StepFailure('connection_provider_mismatch', `connection "${name}" is a ${row.provider} connection; this node needs a ${wanted} one`, false, { connection: name, provider: row.provider });
  }
  if (row.status === 'pending') throw new StepFailure('connection_not_connected', `connection "${name}" was never connected: connect it first`, false, { connection: name });
  if (row.status === 'needs_reconnect') {
    throw new StepFailure('connection_needs_reconnect', `connection "${name}" must be reconnected: ${row.provider} refused its refresh token (${row.status_reason ?? 'unknown'})`, false, { connection: name, reason: row.status_reason });
  }
  return row;
}

function open(keyring: Keyring, orgId: string, row: Row) {
  try {
    return openCredentials(keyring, orgId, row.id, row.credential_version, { ciphertext: row.ciphertext, nonce: row.nonce, wrappedKey: row.wrapped_key, kekId: row.kek_id });
  } catch (err) {
    if (!(err instanceof CryptoError)) throw err;
    throw new StepFailure('connection_unreadable', `connection "${row.name}" could not be decrypted (${err.code})`, err.code === 'unknown_kek', { connection: row.name, kekId: row.kek_id });
  }
}

function accessTokenOf(keyring: Keyring, orgId: string, row: Row): string {
  const token = open(keyring, orgId, row).accessToken;
  if (!token) throw new StepFailure('connection_not_connected', `connection "${row.name}" holds no access token: connect it again`, false, { connection: row.name });
  return token;
}

/**
 * The access token of the connection a node names, refreshed first when it expires within the
 * margin. One refresh at a time per connection: the refresh runs under the row's lock (SELECT …
 * FOR UPDATE), and a step that waited on the lock finds the new token and uses it (no second
 * refresh). A refused refresh (invalid_grant, revoked) marks the connection needs_reconnect and
 * fails the step, not retryable; a provider outage fails it retryable. No token ever reaches an
 * error, a log line or the step's output (the caller masks the token it gets).
 */
export async function resolveStepConnection(deps: ConnectionDeps, step: StepIds, nodeType: string, config: Record<string, unknown>, signal: AbortSignal): Promise<string | undefined> {
  const name = connectionNameOf(nodeType, config);
  if (name === undefined) return undefined;
  const keyring = deps.keyring;
  if (!keyring) throw new StepFailure('secrets_unavailable', `this step uses connection "${name}" but the executor has no key-encryption keys (WEFT_KEKS)`, false);
  const { rows } = await deps.pool.query<Row>(`SELECT ${COLUMNS} FROM oauth_connections WHERE org_id = $1 AND name = $2`, [step.org_id, name]);
  const row = usable(rows[0], name, nodeType);
  if (fresh(row, deps.refreshMarginMs, Date.now())) return accessTokenOf(keyring, step.org_id, row);
  const out = await withTx(deps.pool, async (c): Promise<Refreshed> => {
    const locked = usable((await c.query<Row>(`SELECT ${COLUMNS} FROM oauth_connections WHERE org_id = $1 AND id = $2 FOR UPDATE`, [step.org_id, row.id])).rows[0], name, nodeType);
    // Refreshed by the step that held the lock before this one: use its token.
    if (fresh(locked, deps.refreshMarginMs, Date.now())) return { token: accessTokenOf(keyring, step.org_id, locked) };
    return refresh(deps, keyring, c, step, locked, signal);
  });
  // Thrown after the commit: the needs_reconnect mark must stay.
  if ('refused' in out) throw out.refused;
  return out.token;
}

type Refreshed = { token: string } | { refused: StepFailure };

async function refresh(deps: ConnectionDeps, keyring: Keyring, c: Queryable, step: StepIds, row: Row, signal: AbortSignal): Promise<Refreshed> {
  const creds = open(keyring, step.org_id, row);
  const endpoints = deps.endpoints[row.provider];
  if (!endpoints) throw new StepFailure('connection_provider_unavailable', `provider ${row.provider} of connection "${row.name}" is not configured on this executor`, false, { connection: row.name });
  const answer: TokenAnswer = creds.refreshToken
    ? await requestRefresh(deps, step, row, endpoints.tokenUrl, creds.refreshToken, creds.clientSecret, signal)
    : { ok: false, failure: { error: 'no_refresh_token', description: 'the provider gave no refresh token', reconnect: true, retryable: false } };
  if (!answer.ok) {
    const f = answer.failure;
    if (!f.reconnect) {
      throw new StepFailure('connection_refresh_failed', `refreshing connection "${row.name}" failed (${f.error}${f.description ? `: ${f.description}` : ''})`, f.retryable, { connection: row.name, error: f.error });
    }
    await c.query(`UPDATE oauth_connections SET status = 'needs_reconnect', status_reason = $3, updated_at = now() WHERE org_id = $1 AND id = $2`, [step.org_id, row.id, f.error]);
    await audit(c, step, row, 'connection.refresh_refused', { error: f.error });
    return { refused: new StepFailure('connection_needs_reconnect', `connection "${row.name}" must be reconnected: ${row.provider} refused its refresh token (${f.error})`, false, { connection: row.name, reason: f.error }) };
  }
  const t = answer.tokens;
  const version = row.credential_version + 1;
  // Providers that rotate refresh tokens send a new one; the others keep the old one valid.
  const e = sealCredentials(keyring, step.org_id, row.id, version, { clientSecret: creds.clientSecret, accessToken: t.accessToken, refreshToken: t.refreshToken ?? creds.refreshToken });
  await c.query(
    `UPDATE oauth_connections SET credential_version = $3, ciphertext = $4, nonce = $5, wrapped_key = $6, kek_id = $7, expires_at = $8, refreshed_at = now(), updated_at = now()
     WHERE org_id = $1 AND id = $2`,
    [step.org_id, row.id, version, e.ciphertext, e.nonce, e.wrappedKey, e.kekId, t.expiresAt ?? null],
  );
  await audit(c, step, row, 'connection.refreshed', { version });
  return { token: t.accessToken };
}

async function requestRefresh(deps: ConnectionDeps, step: StepIds, row: Row, tokenUrl: string, refreshToken: string, clientSecret: string, signal: AbortSignal): Promise<TokenAnswer> {
  let res;
  try {
    res = await deps.http.send({
      orgId: step.org_id,
      method: 'POST',
      url: tokenUrl,
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: tokenRequestBody({ type: 'refresh_token', refreshToken }, { clientId: row.client_id, clientSecret }),
      signal,
    });
  } catch (err) {
    // An SSRF refusal, a timeout or a network failure: its message names the host, never the form.
    if (err instanceof StepFailure) throw new StepFailure(err.code, `refreshing connection "${row.name}": ${err.message}`, err.retryable, { connection: row.name });
    throw err;
  }
  return parseTokenAnswer(row.provider, res.status, res.body, new Date());
}

const audit = (c: Queryable, step: StepIds, row: Row, action: string, data: Record<string, unknown>) =>
  c.query(
    `INSERT INTO audit_logs (id, org_id, actor_type, actor_id, action, target_type, target_id, data)
     VALUES ($1, $2, 'run', $3, $4, 'connection', $5, $6)`,
    [newId(), step.org_id, step.run_id, action, row.id, JSON.stringify({ runId: step.run_id, stepId: step.id, nodeId: step.node_id, name: row.name, provider: row.provider, ...data })],
  );
