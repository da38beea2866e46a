import { newId, type Db } from '@weft/db';
import { hashApiKey } from './auth/api-keys';

/** Advisory lock key of the bootstrap (any constant; `weft` in ASCII): boots of one database take turns. */
const BOOTSTRAP_LOCK = 0x77656674;

/**
 * Makes org "default" exist with `key` as its bootstrap API key, and revokes the bootstrap
 * keys of earlier boots: setting a new WEFT_BOOTSTRAP_API_KEY rotates the key. Idempotent and safe
 * from several gateways at once: one transaction under an advisory lock, so the "was it revoked?"
 * check and the insert-and-revoke cannot interleave with another boot's (two boots with the old
 * and the new key could otherwise each revoke the other's key). The boot that commits last wins,
 * and exactly one bootstrap key stays valid.
 * A key that was revoked is refused rather than revived: a leaked key must not come back because
 * a gateway restarted with an old configuration.
 * The bootstrap key is the org's `owner` key (every admin permission, plus deleting the org): the
 * one key of an installation without users, from which every other key is minted. Returns the
 * hashes it revoked, for the revocation notice to the running gateways.
 */
export async function bootstrapOrg(db: Db, key: string): Promise<{ orgId: string; revokedHashes: string[] }> {
  const hash = hashApiKey(key);
  const client = await db.pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [BOOTSTRAP_LOCK]);
    const { rows: revoked } = await client.query<{ revoked_at: Date }>('SELECT revoked_at FROM api_keys WHERE hash = $1 AND revoked_at IS NOT NULL', [hash]);
    if (revoked.length) {
      throw new Error(`WEFT_BOOTSTRAP_API_KEY was revoked at ${revoked[0]!.revoked_at.toISOString()} (replaced by a newer bootstrap key, or revoked by hand): set a new key`);
    }
    await client.query(`INSERT INTO orgs (id, slug, name) VALUES ($1, 'default', 'Default org') ON CONFLICT (slug) DO NOTHING`, [newId()]);
    const { rows } = await client.query<{ id: string }>(`SELECT id FROM orgs WHERE slug = 'default'`);
    const orgId = rows[0]!.id;
    // The new key exists and every other bootstrap key of the org is revoked, together.
    const { rows: replaced } = await client.query<{ hash: string }>(
      `WITH added AS (
         INSERT INTO api_keys (id, org_id, name, prefix, hash, role) VALUES ($1, $2, 'bootstrap', $3, $4, 'owner')
         ON CONFLICT (hash) DO NOTHING)
       UPDATE api_keys SET revoked_at = now()
       WHERE org_id = $2 AND name = 'bootstrap' AND hash <> $4 AND revoked_at IS NULL
       RETURNING hash`,
      [newId(), orgId, key.slice(0, 9), hash],
    );
    await client.query('COMMIT');
    return { orgId, revokedHashes: replaced.map((r) => r.hash) };
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}
