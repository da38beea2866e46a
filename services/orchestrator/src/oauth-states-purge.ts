import type { Pool } from 'pg';

/**
 * Deletes expired OAuth authorization requests (`oauth_states`, used or not), `batch` rows per
 * statement, `maxBatches` statements at most per pass. Safe with several orchestrators at once
 * (SKIP LOCKED) and with a callback in flight: a callback only claims a state that has not
 * expired, so an expired row is never needed again (its callback answers invalid_state either way).
 */
export async function purgeExpiredOAuthStates(pool: Pool, o: { batch: number; maxBatches: number }): Promise<number> {
  let deleted = 0;
  for (let i = 0; i < o.maxBatches; i++) {
    const { rowCount } = await pool.query(
      `DELETE FROM oauth_states WHERE id IN (
         SELECT id FROM oauth_states WHERE expires_at < now() ORDER BY expires_at LIMIT $1 FOR UPDATE SKIP LOCKED)`,
      [o.batch],
    );
    deleted += rowCount ?? 0;
    if ((rowCount ?? 0) < o.batch) break;
  }
  return deleted;
}
