import { newId } from '@weft/db';
import { jobFor } from '@weft/queue';
import { outboxRowParams, type Outboxed } from './outbox';
import { ofOrg } from './rules';
import type { Queryable } from './sql';
import { triggeredRunCtes } from './triggered-runs';

/** A new run of an ended run's version (`POST /v1/runs/:id/rerun`). */
export interface RetryRun {
  orgId: string;
  /** The run retried: the new run's `triggerId`. */
  ofRunId: string;
  /** Edited inputs as JSON text; null: the retried run's own inputs. */
  inputsJson: string | null;
  /** The W3C traceparent of the request's span (tracing on): the new run's work joins that trace. */
  traceParent?: string | null;
  /** Outputs reused by node id (JSON text; replay from a node): those nodes are not executed. */
  pinnedOutputsJson?: string | null;
}

export type RetryRunResult =
  | { outcome: 'created'; runId: string; outbox: Outboxed }
  /** Not the org's top-level run, or not ended: nothing written. */
  | { outcome: 'refused' };

/**
 * ONE statement: a new top-level run of the retried run's version (trigger `retry`, triggerId the
 * retried run; its inputs, or the edited ones), its `run.created` event (data `retryOf`) and the
 * outbox row of its start job, written only if the retried run is the org's, top-level and ended.
 */
const INSERT_RETRY_RUN = `WITH src AS (
       SELECT id, workflow_id, workflow_version_id, inputs FROM runs
       WHERE id = $5::uuid AND ${ofOrg('', '$2::uuid')} AND kind = 'run' AND parent_run_id IS NULL
         AND status IN ('succeeded', 'failed', 'cancelled')),
     v AS (SELECT workflow_version_id AS id, workflow_id FROM src),
     ${triggeredRunCtes({
       runId: '$1', org: '$2', workflow: 'v.workflow_id', inputs: 'COALESCE($3::jsonb, (SELECT inputs FROM src))', triggerType: 'retry', triggerId: '$5', gate: 'src',
       eventId: '$4', eventData: "'retryOf', $5::text", outboxFirst: 6, traceParent: '$10',
       pinnedOutputs: '$11',
     })}
     SELECT (SELECT id FROM ob) AS outbox_id`;

/** A new run retrying an ended one (see INSERT_RETRY_RUN); the job is published after commit by the caller. */
export async function startRetryRun(q: Queryable, r: RetryRun): Promise<RetryRunResult> {
  const runId = newId();
  const job = jobFor.startRun(runId);
  const { rows: [row] } = await q.query<{ outbox_id: string | null }>({
    name: 'weft_gateway_retry_run',
    text: INSERT_RETRY_RUN,
    values: [runId, r.orgId, r.inputsJson, newId(), r.ofRunId, ...outboxRowParams(job), r.traceParent ?? null, r.pinnedOutputsJson ?? null],
  });
  if (!row?.outbox_id) return { outcome: 'refused' };
  return { outcome: 'created', runId, outbox: { ids: [row.outbox_id], jobs: [job] } };
}
