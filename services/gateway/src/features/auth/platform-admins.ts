import type { Pool } from 'pg';
import { normalizeEmail } from './users.service';

/** WEFT_PLATFORM_ADMINS as a set of normalized emails; undefined when the variable is unset (the column is then left alone). */
export function parsePlatformAdmins(list: string | undefined): ReadonlySet<string> | undefined {
  if (list === undefined) return undefined;
  return new Set(list.split(',').map(normalizeEmail).filter(Boolean));
}

/**
 * Makes users.platform_admin match the list at startup: listed users become platform admins, the
 * others stop being (the list is the whole truth when it is set). Returns how many rows changed.
 */
export async function syncPlatformAdmins(pool: Pool, emails: ReadonlySet<string>): Promise<number> {
  const r = await pool.query(`UPDATE users SET platform_admin = (email = ANY($1::text[])) WHERE platform_admin IS DISTINCT FROM (email = ANY($1::text[]))`, [[...emails]]);
  return r.rowCount ?? 0;
}
