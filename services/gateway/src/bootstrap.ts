import { newId, type Db } from '@weft/db';
import { hashApiKey } from './auth/api-keys';

/**
 * Makes org "default" exist with `key` as its bootstrap admin API key, and revokes the bootstrap
 * keys of earlier boots: setting a new WEFT_BOOTSTRAP_API_KEY rotates the key. Idempotent (safe on
 * every start and from several gateways at once: unique slug and hash, ON CONFLICT DO NOTHING).
 * A key that was revoked is refused rather than revived: a leaked key must not come back because
 * a gateway restarted with an old configuration.
 */
export async function bootstrapOrg(db: Db, key: string): Promise<{ orgId: string }> {
  const hash = hashApiKey(key);
  const { rows: revoked } = await db.pool.query<{ revoked_at: Date }>('SELECT revoked_at FROM api_keys WHERE hash = $1 AND revoked_at IS NOT NULL', [hash]);
  if (revoked.length) {
    throw new Error(`WEFT_BOOTSTRAP_API_KEY was revoked at ${revoked[0]!.revoked_at.toISOString()} (replaced by a newer bootstrap key, or revoked by hand): set a new key`);
  }
  await db.pool.query(`INSERT INTO orgs (id, slug, name) VALUES ($1, 'default', 'Default org') ON CONFLICT (slug) DO NOTHING`, [newId()]);
  const { rows } = await db.pool.query<{ id: string }>(`SELECT id FROM orgs WHERE slug = 'default'`);
  const orgId = rows[0]!.id;
  // One statement: the new key exists and every other bootstrap key of the org is revoked, together.
  await db.pool.query(
    `WITH added AS (
       INSERT INTO api_keys (id, org_id, name, prefix, hash, role) VALUES ($1, $2, 'bootstrap', $3, $4, 'admin')
       ON CONFLICT (hash) DO NOTHING)
     UPDATE api_keys SET revoked_at = now()
     WHERE org_id = $2 AND name = 'bootstrap' AND hash <> $4 AND revoked_at IS NULL`,
    [newId(), orgId, key.slice(0, 9), hash],
  );
  return { orgId };
}
