import type pg from 'pg';
import { asIs } from './scope';

/**
 * The org of run `runId` (null: no such run), by `weft_run_org` (migration
 * 20261215000100_run_org_lookup: SECURITY DEFINER, it answers only that), asked on a pooled
 * connection as it is (`asIs`): no switch of role or org before the org to act for is known.
 * The one statement `asIs` is for; nothing else runs in that scope.
 */
export async function runOrgOf(pool: pg.Pool, runId: string): Promise<string | null> {
  const { rows } = await asIs(() => pool.query<{ org_id: string | null }>({ name: 'weft_run_org', text: 'SELECT weft_run_org($1) AS org_id', values: [runId] }));
  return rows[0]?.org_id ?? null;
}
