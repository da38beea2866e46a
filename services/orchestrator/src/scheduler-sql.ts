/**
 * The scheduler's statements on schedules and schedule_fires. Each fire is one row keyed by
 * (schedule_id, nominal_time); a run is inserted only in the statement that inserted (or released)
 * its fire row (`startScheduledRun` of the run store), so a nominal time can start at most one run,
 * whoever ticks.
 */

/** Due schedules, and those holding a buffered fire, locked; rows another scheduler holds are skipped. */
export const CLAIM_DUE = `SELECT id, org_id, workflow_id, cron, timezone, inputs, overlap, catchup, next_run_at, buffered_at,
       COALESCE($1::timestamptz, now()) AS now
     FROM schedules
     WHERE enabled AND (next_run_at <= COALESCE($1::timestamptz, now()) OR buffered_at IS NOT NULL)
     ORDER BY next_run_at NULLS LAST LIMIT $2
     FOR UPDATE SKIP LOCKED`;

/** A fire that starts nothing: skipped (a run was live) or buffered (buffer_one). */
export const INSERT_IDLE_FIRE = `INSERT INTO schedule_fires (id, org_id, schedule_id, nominal_time, outcome)
     VALUES ($1, $2, $3, $4, $5) ON CONFLICT (schedule_id, nominal_time) DO NOTHING`;

/** A fire the org's plan refused (a quota is used up): skipped, with the reason; a buffered fire becomes skipped. */
export const SKIP_FIRE_FOR_QUOTA = `INSERT INTO schedule_fires (id, org_id, schedule_id, nominal_time, outcome, reason)
     VALUES ($1, $2, $3, $4, 'skipped', $5)
     ON CONFLICT (schedule_id, nominal_time) DO UPDATE SET outcome = 'skipped', reason = EXCLUDED.reason WHERE schedule_fires.outcome = 'buffered'`;

/** The schedule after a tick: its next nominal time, the last one that started a run, the buffered one. */
export const ADVANCE = `UPDATE schedules SET next_run_at = $2, last_run_at = COALESCE($3, last_run_at), buffered_at = $4 WHERE id = $1`;
