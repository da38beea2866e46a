import { newId } from '@weft/db';
import { jobFor } from '@weft/queue';
import type { PoolClient } from 'pg';
import { outboxRowParams, type Outboxed } from './outbox';
import { runIsLive } from './rules';
import { rows } from './sql';
import { triggeredRunCtes } from './triggered-runs';

/** Whether a run this schedule started is still live (the overlap policy). */
export async function scheduleHasLiveRun(c: PoolClient, scheduleId: string): Promise<boolean> {
  const [row] = await rows<{ live: boolean }>(
    c,
    `SELECT EXISTS (SELECT 1 FROM runs WHERE trigger_id = $1 AND trigger_type = 'schedule' AND ${runIsLive()}) AS live`,
    [scheduleId],
  );
  return row!.live;
}

/**
 * The run of a fire: the latest published version of the workflow, the runs row (queued, trigger
 * `schedule`), its `run.created` event and the outbox row of its start job, all conditional on the
 * `fire` CTE (the schedules' own statement, written by the scheduler) having written its fire row.
 * Parameters: $1 run id, $2 org, $3 workflow, $4 fire id, $5 schedule, $6 nominal time, $7 inputs,
 * $8 event id, $9 the nominal time as ISO text (for the event), $10..$13 the outbox row, $14 the traceparent.
 */
const startRunSql = (fire: string) => `WITH v AS (
       SELECT v.id FROM workflows w JOIN workflow_versions v ON v.workflow_id = w.id AND v.version = w.latest_version
       -- A disabled or deleted workflow starts nothing: the fire is recorded as having no version to run.
       WHERE w.id = $3::uuid AND w.org_id = $2::uuid AND w.enabled AND w.deleted_at IS NULL),
     fire AS (${fire}),
     ${triggeredRunCtes({
       runId: '$1', org: '$2', workflow: '$3::uuid', inputs: '$7', triggerType: 'schedule', triggerId: '$5', gate: 'fire',
       eventId: '$8', eventData: "'scheduleId', $5::text, 'nominalTime', $9::text", outboxFirst: 10, traceParent: '$14',
     })}
     SELECT (SELECT id FROM ob) AS outbox_id, EXISTS (SELECT 1 FROM v) AS has_version`;

/** A new fire that starts a run. */
const START_FIRE = startRunSql(`INSERT INTO schedule_fires (id, org_id, schedule_id, nominal_time, outcome, run_id)
       SELECT $4::uuid, $2::uuid, $5::uuid, $6::timestamptz, 'started', $1::uuid FROM v
       ON CONFLICT (schedule_id, nominal_time) DO NOTHING RETURNING id`);

/** The buffered fire starts its run (buffer_one, once the live run ended). */
const RELEASE_BUFFERED = startRunSql(`UPDATE schedule_fires SET outcome = 'started', run_id = $1::uuid
       -- ($4, a new fire's id, is not needed: the buffered row keeps its own; referenced so it has a type)
       WHERE schedule_id = $5::uuid AND nominal_time = $6::timestamptz AND outcome = 'buffered' AND $4::uuid IS NOT NULL
       AND EXISTS (SELECT 1 FROM v) RETURNING id`);

/** A fire of a schedule (its nominal time) that starts a run. */
export interface ScheduledFire {
  orgId: string;
  workflowId: string;
  scheduleId: string;
  nominal: Date;
  inputs: unknown;
  /** The W3C traceparent of the fire's span (tracing on): the run's work joins that trace. */
  traceParent?: string | null;
}

/**
 * Inside the scheduler's transaction: inserts the fire row (`new`) or releases the buffered one
 * (`buffered`) with its run in one statement. Nothing outboxed: the fire row existed already (another
 * scheduler fired it) or the workflow has no published version (`hasVersion` false).
 */
export async function startScheduledRun(c: PoolClient, f: ScheduledFire, fire: 'new' | 'buffered'): Promise<{ hasVersion: boolean } & Outboxed> {
  const runId = newId();
  const job = jobFor.startRun(runId);
  const [row] = await rows<{ outbox_id: string | null; has_version: boolean }>(c, fire === 'new' ? START_FIRE : RELEASE_BUFFERED, [
    runId, f.orgId, f.workflowId, newId(), f.scheduleId, f.nominal, JSON.stringify(f.inputs ?? {}), newId(), f.nominal.toISOString(), ...outboxRowParams(job), f.traceParent ?? null,
  ]);
  return { hasVersion: row?.has_version ?? false, ...(row?.outbox_id ? { ids: [row.outbox_id], jobs: [job] } : { ids: [], jobs: [] }) };
}
