/**
 * The scheduler's statements (schedules and schedule_fires). Each fire is one row keyed by
 * (schedule_id, nominal_time); a run is inserted only in the statement that inserted (or released)
 * its fire row, so a nominal time can start at most one run, whoever ticks.
 */

/** Due schedules, and those holding a buffered fire, locked; rows another scheduler holds are skipped. */
export const CLAIM_DUE = `SELECT id, org_id, workflow_id, cron, timezone, inputs, overlap, catchup, next_run_at, buffered_at,
       COALESCE($1::timestamptz, now()) AS now
     FROM schedules
     WHERE enabled AND (next_run_at <= COALESCE($1::timestamptz, now()) OR buffered_at IS NOT NULL)
     ORDER BY next_run_at NULLS LAST LIMIT $2
     FOR UPDATE SKIP LOCKED`;

/** Whether a run this schedule started is still live (the overlap policy). */
export const HAS_LIVE_RUN = `SELECT EXISTS (SELECT 1 FROM runs WHERE trigger_id = $1 AND trigger_type = 'schedule'
       AND status IN ('queued', 'running', 'waiting')) AS live`;

/** A fire that starts nothing: skipped (a run was live) or buffered (buffer_one). */
export const INSERT_IDLE_FIRE = `INSERT INTO schedule_fires (id, org_id, schedule_id, nominal_time, outcome)
     VALUES ($1, $2, $3, $4, $5) ON CONFLICT (schedule_id, nominal_time) DO NOTHING`;

/**
 * The run of a fire: the latest published version of the workflow, the runs row (queued, trigger
 * `schedule`), its `run.created` event and the outbox row of its start job, all conditional on the
 * `fire` CTE having written the fire row. Parameters: $1 run id, $2 org, $3 workflow, $4 fire id,
 * $5 schedule, $6 nominal time, $7 inputs, $8 event id, $9..$12 queue, job name, job id, payload,
 * $13 the nominal time as ISO text (for the event).
 */
const startRun = (fire: string) => `WITH v AS (
       SELECT v.id FROM workflows w JOIN workflow_versions v ON v.workflow_id = w.id AND v.version = w.latest_version
       WHERE w.id = $3::uuid AND w.org_id = $2::uuid),
     fire AS (${fire}),
     run AS (
       INSERT INTO runs (id, org_id, workflow_id, workflow_version_id, status, inputs, last_seq, trigger_type, trigger_id)
       SELECT $1::uuid, $2::uuid, $3::uuid, v.id, 'queued', $7::jsonb, 1, 'schedule', $5::uuid FROM v WHERE EXISTS (SELECT 1 FROM fire)
       RETURNING id, org_id, workflow_version_id),
     ev AS (
       INSERT INTO run_events (id, org_id, run_id, seq, type, data)
       SELECT $8::uuid, org_id, id, 1, 'run.created',
         jsonb_build_object('workflowVersionId', workflow_version_id, 'scheduleId', $5::text, 'nominalTime', $13::text) FROM run),
     ob AS (
       INSERT INTO outbox (org_id, queue, job_name, job_id, payload)
       SELECT org_id, $9::text, $10::text, $11::text, $12::jsonb FROM run
       RETURNING id)
     SELECT (SELECT id FROM ob) AS outbox_id, EXISTS (SELECT 1 FROM v) AS has_version`;

/** A new fire that starts a run. */
export const START_FIRE = startRun(`INSERT INTO schedule_fires (id, org_id, schedule_id, nominal_time, outcome, run_id)
       SELECT $4::uuid, $2::uuid, $5::uuid, $6::timestamptz, 'started', $1::uuid FROM v
       ON CONFLICT (schedule_id, nominal_time) DO NOTHING RETURNING id`);

/** The buffered fire starts its run (buffer_one, once the live run ended). */
export const RELEASE_BUFFERED = startRun(`UPDATE schedule_fires SET outcome = 'started', run_id = $1::uuid
       -- ($4, a new fire's id, is not needed: the buffered row keeps its own; referenced so it has a type)
       WHERE schedule_id = $5::uuid AND nominal_time = $6::timestamptz AND outcome = 'buffered' AND $4::uuid IS NOT NULL
       AND EXISTS (SELECT 1 FROM v) RETURNING id`);

/** The schedule after a tick: its next nominal time, the last one that started a run, the buffered one. */
export const ADVANCE = `UPDATE schedules SET next_run_at = $2, last_run_at = COALESCE($3, last_run_at), buffered_at = $4 WHERE id = $1`;
