import { encryptSecret, secretVersionAad, type Keyring } from '@weft/crypto';
import { newId } from '@weft/db';
import { rows, secretLastUseSql, withTx, type Queryable } from '@weft/run-store';
import type { CreateSecretBody, UpdateSecretBody } from '@weft/workflow-schema';
import { AppError, notFound } from '../../errors';
import type { Resources } from '../../resources';
import type { Principal } from '../../auth/api-keys';
import { auditActor, writeAudit } from '../audit/audit-writer';

/** Who changes a secret: the caller (its org, and the audit actor). */
export type SecretActor = Principal;

export interface SecretRow {
  id: string;
  name: string;
  description: string;
  current_version: number;
  created_at: Date;
  updated_at: Date;
  /** The newest `secret.used` audit entry (list and get only). */
  last_used?: { at: string; version: number; runId: string; workflowId: string | null; workflowName: string | null } | null;
}

const COLUMNS = 'id, name, description, current_version, created_at, updated_at';

/**
 * The secret's columns and `last_used`: its newest `secret.used` audit entry (one probe of the
 * partial index audit_logs_secret_used_idx) with the run's workflow.
 */
const WITH_LAST_USE = `s.id, s.name, s.description, s.current_version, s.created_at, s.updated_at,
  ${secretLastUseSql('s')} AS last_used`;

function keyringOf(res: Resources): Keyring {
  if (!res.keyring) throw new AppError('unavailable', 'secrets are not configured on this server: set WEFT_KEKS and WEFT_KEK_CURRENT');
  return res.keyring;
}

/** Encrypts `value` as version `version` of the secret (a fresh data key, bound to org + secret + version). */
async function insertVersion(q: Queryable, keyring: Keyring, orgId: string, secretId: string, version: number, value: string) {
  const e = encryptSecret(keyring, value, secretVersionAad(orgId, secretId, version));
  await q.query(
    `INSERT INTO secret_versions (id, org_id, secret_id, version, ciphertext, nonce, wrapped_key, kek_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [newId(), orgId, secretId, version, e.ciphertext, e.nonce, e.wrappedKey, e.kekId],
  );
}

/**
 * Creates a secret (version 1). A name whose secret was deleted is taken over again: the row
 * comes back with its next version number, so no (secret, version) pair is ever reused.
 */
export async function createSecret(res: Resources, actor: SecretActor, body: CreateSecretBody): Promise<SecretRow> {
  const keyring = keyringOf(res);
  return withTx(res.db.pool, async (c) => {
    const [row] = await rows<SecretRow>(
      c,
      `INSERT INTO secrets (id, org_id, name, description, current_version) VALUES ($1, $2, $3, $4, 1)
       ON CONFLICT (org_id, name) DO UPDATE
         SET description = EXCLUDED.description, current_version = secrets.current_version + 1,
             deleted_at = NULL, created_at = now(), updated_at = now()
         WHERE secrets.deleted_at IS NOT NULL
       RETURNING ${COLUMNS}`,
      [newId(), actor.orgId, body.name, body.description ?? ''],
    );
    if (!row) {
      throw new AppError('conflict', `secret ${body.name} already exists; PUT /v1/secrets/${body.name} gives it a new value`, [
        { path: 'body.name', code: 'already_exists', message: `a secret named ${body.name} already exists` },
      ]);
    }
    await insertVersion(c, keyring, actor.orgId, row.id, row.current_version, body.value);
    await writeAudit(c, audit(actor, 'secret.created', row, {}));
    return row;
  });
}

export async function listSecrets(res: Resources, orgId: string, limit: number, cursor?: string) {
  const items = await rows<SecretRow>(
    res.db.pool,
    `SELECT ${WITH_LAST_USE} FROM secrets s WHERE s.org_id = $1 AND s.deleted_at IS NULL AND ($2::text IS NULL OR s.name > $2)
     ORDER BY s.name LIMIT $3`,
    [orgId, cursor ?? null, limit + 1],
  );
  const more = items.length > limit;
  const page = more ? items.slice(0, limit) : items;
  return { items: page, nextCursor: more ? page[page.length - 1]!.name : null };
}

export async function getSecret(res: Resources, orgId: string, name: string): Promise<SecretRow> {
  const [row] = await rows<SecretRow>(res.db.pool, `SELECT ${WITH_LAST_USE} FROM secrets s WHERE s.org_id = $1 AND s.name = $2 AND s.deleted_at IS NULL`, [orgId, name]);
  if (!row) throw notFound('secret', name);
  return row;
}

/** A new value becomes the next version (under the row lock the UPDATE takes); a description alone is metadata. */
export async function updateSecret(res: Resources, actor: SecretActor, name: string, body: UpdateSecretBody): Promise<SecretRow> {
  const keyring = body.value !== undefined ? keyringOf(res) : undefined;
  return withTx(res.db.pool, async (c) => {
    const [row] = await rows<SecretRow>(
      c,
      `UPDATE secrets SET current_version = current_version + $3, description = COALESCE($4, description), updated_at = now()
       WHERE org_id = $1 AND name = $2 AND deleted_at IS NULL
       RETURNING ${COLUMNS}`,
      [actor.orgId, name, keyring ? 1 : 0, body.description ?? null],
    );
    if (!row) throw notFound('secret', name);
    if (keyring) await insertVersion(c, keyring, actor.orgId, row.id, row.current_version, body.value!);
    await writeAudit(c, audit(actor, 'secret.updated', row, { valueChanged: !!keyring, descriptionChanged: body.description !== undefined }));
    return row;
  });
}

/** Soft delete: the secret stops resolving at once; its encrypted versions stay for the record. */
export async function deleteSecret(res: Resources, actor: SecretActor, name: string): Promise<void> {
  await withTx(res.db.pool, async (c) => {
    const [row] = await rows<SecretRow>(
      c,
      `UPDATE secrets SET deleted_at = now(), updated_at = now() WHERE org_id = $1 AND name = $2 AND deleted_at IS NULL RETURNING ${COLUMNS}`,
      [actor.orgId, name],
    );
    if (!row) throw notFound('secret', name);
    await writeAudit(c, audit(actor, 'secret.deleted', row, {}));
  });
}

const audit = (actor: SecretActor, action: string, row: SecretRow, extra: Record<string, unknown>) => ({
  ...auditActor(actor),
  action,
  targetType: 'secret',
  targetId: row.id,
  data: { name: row.name, version: row.current_version, ...extra },
});

export const secretView = (r: SecretRow) => ({
  id: r.id,
  name: r.name,
  description: r.description,
  version: r.current_version,
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
  // Absent until a step has resolved the secret.
  ...(r.last_used ? { lastUsed: { ...r.last_used, at: new Date(r.last_used.at).toISOString() } } : {}),
});
