import { asMaintenance } from '@weft/db';
import type { Pool } from 'pg';
import { FLAGS, type FlagKey } from './catalog';

/** Every flag value set in Postgres: defaults changed by admins, and per-org values. */
export interface FlagSnapshot {
  defaults: ReadonlyMap<string, boolean>;
  orgs: ReadonlyMap<string, ReadonlyMap<string, boolean>>;
}

export const EMPTY_SNAPSHOT: FlagSnapshot = { defaults: new Map(), orgs: new Map() };

/** Reads every flag value (all orgs: the maintenance role). Flags no longer declared in code are left out. */
export async function readFlags(pool: Pool): Promise<FlagSnapshot> {
  return asMaintenance(async () => {
    const [defaults, orgs] = await Promise.all([
      pool.query<{ key: string; enabled: boolean }>('SELECT key, enabled FROM feature_flags'),
      pool.query<{ org_id: string; key: string; enabled: boolean }>('SELECT org_id, key, enabled FROM org_feature_flags'),
    ]);
    const known = (key: string) => Object.hasOwn(FLAGS, key);
    const byOrg = new Map<string, Map<string, boolean>>();
    for (const r of orgs.rows.filter((r) => known(r.key))) {
      const org = byOrg.get(r.org_id) ?? new Map<string, boolean>();
      byOrg.set(r.org_id, org.set(r.key, r.enabled));
    }
    return { defaults: new Map(defaults.rows.filter((r) => known(r.key)).map((r) => [r.key, r.enabled])), orgs: byOrg };
  });
}

/** Sets a flag's default for every org (null: back to the default declared in code). */
export async function writeDefault(pool: Pool, key: FlagKey, enabled: boolean | null, by: string | null): Promise<void> {
  await asMaintenance(() =>
    enabled === null
      ? pool.query('DELETE FROM feature_flags WHERE key = $1', [key])
      : pool.query(
          `INSERT INTO feature_flags (key, enabled, updated_by) VALUES ($1, $2, $3)
           ON CONFLICT (key) DO UPDATE SET enabled = EXCLUDED.enabled, updated_by = EXCLUDED.updated_by, updated_at = now()`,
          [key, enabled, by],
        ),
  );
}

/** Sets a flag for one org (null: the org follows the default again). False when the org does not exist. */
export async function writeOrgValue(pool: Pool, orgId: string, key: FlagKey, enabled: boolean | null, by: string | null): Promise<boolean> {
  return asMaintenance(async () => {
    const org = await pool.query('SELECT 1 FROM orgs WHERE id = $1 AND deleted_at IS NULL', [orgId]);
    if (org.rowCount === 0) return false;
    if (enabled === null) await pool.query('DELETE FROM org_feature_flags WHERE org_id = $1 AND key = $2', [orgId, key]);
    else
      await pool.query(
        `INSERT INTO org_feature_flags (org_id, key, enabled, updated_by) VALUES ($1, $2, $3, $4)
         ON CONFLICT (org_id, key) DO UPDATE SET enabled = EXCLUDED.enabled, updated_by = EXCLUDED.updated_by, updated_at = now()`,
        [orgId, key, enabled, by],
      );
    return true;
  });
}
