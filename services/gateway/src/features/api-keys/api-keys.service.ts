import { newId } from '@weft/db';
import { rows, withTx } from '@weft/run-store';
import { roleCovers, type ApiKeyView, type CreateApiKeyBody, type Role } from '@weft/workflow-schema';
import { actorOf, generateApiKey, hashApiKey, principalRef, type Principal } from '../../auth/api-keys';
import type { KeyRevocations } from '../../auth/key-revocations';
import { AppError, notFound } from '../../errors';
import type { Resources } from '../../resources';
import { auditActor, writeAudit } from '../audit/audit-writer';

interface KeyRow {
  id: string;
  name: string;
  role: string;
  prefix: string;
  created_at: Date;
  expires_at: Date | null;
  last_used_at: Date | null;
  created_by: string | null;
}

const COLUMNS = 'id, name, role, prefix, created_at, expires_at, last_used_at, created_by';
/** Characters of a new key shown in listings: `weft_` and 7 of its random characters. */
const PREFIX_LENGTH = 12;

/**
 * Creates a key of the caller's org. A key never holds more rights than its creator: the role
 * must grant nothing the caller's role lacks, and a key created by an expiring key expires no
 * later (by default, at the same time). The key itself is returned once; only its hash is kept.
 */
export async function createApiKey(res: Resources, caller: Principal, body: CreateApiKeyBody) {
  if (!roleCovers(caller.role, body.role)) {
    throw new AppError('forbidden', `a key with role "${caller.role}" cannot create a key with role "${body.role}": a key never holds more rights than its creator`);
  }
  const expiresAt = expiryOf(caller, body.expiresAt);
  const key = generateApiKey();
  const id = newId();
  return withTx(res.db.pool, async (c) => {
    const [row] = await rows<KeyRow>(
      c,
      `INSERT INTO api_keys (id, org_id, name, prefix, hash, role, expires_at, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ${COLUMNS}`,
      [id, caller.orgId, body.name, key.slice(0, PREFIX_LENGTH), hashApiKey(key), body.role, expiresAt, principalRef(caller)],
    );
    await writeAudit(c, {
      ...auditActor(caller),
      action: 'api_key.created',
      targetType: 'api_key',
      targetId: id,
      data: { name: body.name, role: body.role, prefix: row!.prefix, expiresAt: expiresAt?.toISOString() ?? null },
    });
    return { id, name: row!.name, role: body.role, prefix: row!.prefix, key, createdAt: row!.created_at.toISOString(), expiresAt: expiresAt?.toISOString() ?? null };
  });
}

function expiryOf(caller: Principal, requested: string | undefined): Date | null {
  const at = requested === undefined ? null : new Date(requested);
  if (at && at.getTime() <= Date.now()) {
    throw new AppError('validation_failed', 'expiresAt must be in the future', [{ path: 'body.expiresAt', code: 'in_the_past', message: `${requested} has passed` }]);
  }
  if (!caller.expiresAt) return at;
  if (at && at > caller.expiresAt) {
    throw new AppError('forbidden', `the new key cannot outlive the key that creates it (which expires at ${caller.expiresAt.toISOString()})`);
  }
  return at ?? caller.expiresAt;
}

/** The org's keys that are not revoked (expired ones included), newest first: metadata only. */
export async function listApiKeys(res: Resources, orgId: string, limit: number, cursor?: string) {
  const found = await rows<KeyRow>(
    res.db.pool,
    `SELECT ${COLUMNS} FROM api_keys WHERE org_id = $1 AND revoked_at IS NULL AND ($2::uuid IS NULL OR id < $2) ORDER BY id DESC LIMIT $3`,
    [orgId, cursor ?? null, limit + 1],
  );
  const more = found.length > limit;
  const page = more ? found.slice(0, limit) : found;
  return { items: page.map(keyView), nextCursor: more ? page[page.length - 1]!.id : null };
}

/**
 * Revokes a key of the caller's org (404 for another org's), unless it holds rights the caller
 * lacks (an admin cannot revoke the owner's key). Revoking twice answers the same. After commit,
 * every gateway is told to forget the key (Redis), so it stops working everywhere at once.
 */
export async function revokeApiKey(res: Resources, revocations: KeyRevocations, caller: Principal, id: string): Promise<void> {
  const hash = await withTx(res.db.pool, async (c) => {
    const [row] = await rows<{ role: string; hash: string; revoked: boolean; name: string }>(
      c,
      'SELECT role, hash, name, revoked_at IS NOT NULL AS revoked FROM api_keys WHERE id = $1 AND org_id = $2 FOR UPDATE',
      [id, caller.orgId],
    );
    if (!row) throw notFound('API key', id);
    if (row.revoked) return undefined;
    if (!roleCovers(caller.role, row.role)) {
      throw new AppError('forbidden', `a key with role "${caller.role}" cannot revoke a key with role "${row.role}"`);
    }
    await c.query('UPDATE api_keys SET revoked_at = now() WHERE id = $1', [id]);
    await writeAudit(c, { ...auditActor(caller), action: 'api_key.revoked', targetType: 'api_key', targetId: id, data: { name: row.name, role: row.role } });
    return row.hash;
  });
  if (hash) await revocations.revoked([hash]);
}

const keyView = (r: KeyRow): ApiKeyView => ({
  id: r.id,
  name: r.name,
  role: r.role as Role,
  prefix: r.prefix,
  createdAt: r.created_at.toISOString(),
  expiresAt: r.expires_at?.toISOString() ?? null,
  lastUsedAt: r.last_used_at?.toISOString() ?? null,
  createdBy: actorOf(r.created_by),
});
