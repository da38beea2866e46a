import { newId, type Db } from '@weft/db';
import { hashApiKey } from './auth/api-keys';

/**
 * Makes org "default" exist with `key` as an admin API key. Idempotent: safe on every start and
 * from several gateways at once (unique slug and hash, ON CONFLICT DO NOTHING).
 */
export async function bootstrapOrg(db: Db, key: string): Promise<{ orgId: string }> {
  await db.pool.query(`INSERT INTO orgs (id, slug, name) VALUES ($1, 'default', 'Default org') ON CONFLICT (slug) DO NOTHING`, [newId()]);
  const { rows } = await db.pool.query<{ id: string }>(`SELECT id FROM orgs WHERE slug = 'default'`);
  const orgId = rows[0]!.id;
  await db.pool.query(
    `INSERT INTO api_keys (id, org_id, name, prefix, hash, role) VALUES ($1, $2, 'bootstrap', $3, $4, 'admin')
     ON CONFLICT (hash) DO NOTHING`,
    [newId(), orgId, key.slice(0, 9), hashApiKey(key)],
  );
  return { orgId };
}
