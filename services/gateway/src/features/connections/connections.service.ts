import type { Keyring } from '@weft/crypto';
import { newId } from '@weft/db';
import { sealCredentials } from '@weft/oauth';
import { rows, withTx } from '@weft/run-store';
import type { CreateConnectionBody } from '@weft/workflow-schema';
import type { Principal } from '../../auth/principal';
import { principalRef } from '../../auth/principal';
import { AppError, notFound } from '../../errors';
import type { Resources } from '../../resources';
import { auditActor, writeAudit } from '../audit/audit-writer';
import type { OAuthSettings } from './oauth-settings';

export interface ConnectionRow {
  id: string;
  org_id: string;
  name: string;
  provider: 'google' | 'slack' | 'generic';
  client_id: string;
  scopes: string;
  status: 'pending' | 'connected' | 'needs_reconnect';
  status_reason: string | null;
  account: string;
  credential_version: number;
  ciphertext: Buffer;
  nonce: Buffer;
  wrapped_key: Buffer;
  kek_id: string;
  expires_at: Date | null;
  connected_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

export const CONNECTION_COLUMNS =
  'id, org_id, name, provider, client_id, scopes, status, status_reason, account, credential_version, ciphertext, nonce, wrapped_key, kek_id, expires_at, connected_at, created_at, updated_at';

export function keyringOf(res: Resources): Keyring {
  if (!res.keyring) throw new AppError('unavailable', 'connections are not configured on this server: set WEFT_KEKS and WEFT_KEK_CURRENT');
  return res.keyring;
}

/** Creates a pending connection: the app's client secret sealed in the vault, no tokens yet. */
export async function createConnection(res: Resources, settings: OAuthSettings, actor: Principal, body: CreateConnectionBody): Promise<ConnectionRow> {
  const keyring = keyringOf(res);
  if (!settings.endpoints[body.provider]) {
    throw new AppError('validation_failed', `provider ${body.provider} is not configured on this server`, [
      { path: 'body.provider', code: 'provider_not_configured', message: `set WEFT_OAUTH_${body.provider.toUpperCase()}_AUTHORIZE_URL and WEFT_OAUTH_${body.provider.toUpperCase()}_TOKEN_URL` },
    ]);
  }
  const id = newId();
  const e = sealCredentials(keyring, actor.orgId, id, 1, { clientSecret: body.clientSecret });
  return withTx(res.db.pool, async (c) => {
    const [row] = await rows<ConnectionRow>(
      c,
      `INSERT INTO oauth_connections (id, org_id, name, provider, client_id, scopes, ciphertext, nonce, wrapped_key, kek_id, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       ON CONFLICT (org_id, name) DO NOTHING
       RETURNING ${CONNECTION_COLUMNS}`,
      [id, actor.orgId, body.name, body.provider, body.clientId, body.scopes.join(' '), e.ciphertext, e.nonce, e.wrappedKey, e.kekId, principalRef(actor)],
    );
    if (!row) {
      throw new AppError('conflict', `connection ${body.name} already exists`, [{ path: 'body.name', code: 'already_exists', message: `a connection named ${body.name} already exists` }]);
    }
    await writeAudit(c, audit(actor, 'connection.created', row));
    return row;
  });
}

export async function listConnections(res: Resources, orgId: string): Promise<ConnectionRow[]> {
  return rows<ConnectionRow>(res.db.pool, `SELECT ${CONNECTION_COLUMNS} FROM oauth_connections WHERE org_id = $1 ORDER BY name LIMIT 500`, [orgId]);
}

export async function getConnection(res: Resources, orgId: string, id: string): Promise<ConnectionRow> {
  const [row] = await rows<ConnectionRow>(res.db.pool, `SELECT ${CONNECTION_COLUMNS} FROM oauth_connections WHERE org_id = $1 AND id = $2`, [orgId, id]);
  if (!row) throw notFound('connection', id);
  return row;
}

/** Deletes the connection and its tokens (the row and its pending states): steps naming it fail with connection_not_found. */
export async function deleteConnection(res: Resources, actor: Principal, id: string): Promise<void> {
  await withTx(res.db.pool, async (c) => {
    const [row] = await rows<ConnectionRow>(c, `DELETE FROM oauth_connections WHERE org_id = $1 AND id = $2 RETURNING ${CONNECTION_COLUMNS}`, [actor.orgId, id]);
    if (!row) throw notFound('connection', id);
    await c.query(`DELETE FROM oauth_states WHERE org_id = $1 AND connection_id = $2`, [actor.orgId, id]);
    await writeAudit(c, audit(actor, 'connection.deleted', row));
  });
}

export const audit = (actor: Principal, action: string, row: Pick<ConnectionRow, 'id' | 'name' | 'provider'>, extra: Record<string, unknown> = {}) => ({
  ...auditActor(actor),
  action,
  targetType: 'connection',
  targetId: row.id,
  data: { name: row.name, provider: row.provider, ...extra },
});

export const connectionView = (r: ConnectionRow) => ({
  id: r.id,
  name: r.name,
  provider: r.provider,
  clientId: r.client_id,
  scopes: r.scopes ? r.scopes.split(' ') : [],
  status: r.status,
  statusReason: r.status_reason,
  account: r.account,
  expiresAt: r.expires_at?.toISOString() ?? null,
  connectedAt: r.connected_at?.toISOString() ?? null,
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
});
