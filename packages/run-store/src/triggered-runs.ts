import { outboxRowFrom } from './outbox';
import { meterRunsFrom } from './usage';

/** Where the parts of a triggered run come from in the statement that creates it (SQL expressions). */
export interface TriggeredRunSql {
  /** Parameter of the run id, e.g. `$1`. */
  runId: string;
  org: string;
  /** The workflow id (a parameter, or `v.workflow_id`). */
  workflow: string;
  inputs: string;
  triggerType: 'schedule' | 'webhook' | 'retry';
  triggerId: string;
  /** A CTE that must have a row for the run to be written (the fire, the delivery). */
  gate: string;
  eventId: string;
  /** The `run.created` event's data besides `workflowVersionId`: `'key', expr, …`. */
  eventData: string;
  /** First of the four parameters of `outboxRowParams` (the start job). */
  outboxFirst: number;
  /** The parameter of the W3C traceparent of the span that starts it (text, null when tracing is off). */
  traceParent: string;
  /** Outputs reused instead of executing their nodes (a jsonb expression; none when absent). */
  pinnedOutputs?: string;
}

/**
 * The CTEs `run`, `ev` and `ob` of a run a trigger starts, for a statement that has a CTE `v` (the
 * version: `id`, and `workflow_id` where `workflow` reads it) and the CTE `gate`: the runs row
 * (queued, its trigger), its `run.created` event and the outbox row of its start job, all written
 * only if `gate` wrote its row, and its `run` usage row (usage.ts). Schedules' fires and webhook deliveries share them.
 */
export const triggeredRunCtes = (s: TriggeredRunSql) => `run AS (
       INSERT INTO runs (id, org_id, workflow_id, workflow_version_id, status, inputs, last_seq, trigger_type, trigger_id, trace_parent, pinned_outputs)
       SELECT ${s.runId}::uuid, ${s.org}::uuid, ${s.workflow}, v.id, 'queued', ${s.inputs}::jsonb, 1, '${s.triggerType}', ${s.triggerId}::uuid, ${s.traceParent}::text, ${s.pinnedOutputs ?? 'NULL'}::jsonb FROM v WHERE EXISTS (SELECT 1 FROM ${s.gate})
       RETURNING id, org_id, workflow_id, workflow_version_id),
     metered AS (${meterRunsFrom('run')}),
     ev AS (
       INSERT INTO run_events (id, org_id, run_id, seq, type, data)
       SELECT ${s.eventId}::uuid, org_id, id, 1, 'run.created', jsonb_build_object('workflowVersionId', workflow_version_id, ${s.eventData}) FROM run),
     ob AS (${outboxRowFrom('run', s.outboxFirst)})`;
