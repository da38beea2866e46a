import { newId } from '@weft/db';
import { jobFor } from '@weft/queue';
import { outboxRowParams, type Outboxed } from './outbox';
import { ofOrg } from './rules';
import type { Queryable } from './sql';
import { triggeredRunCtes } from './triggered-runs';

/** A delivery of a webhook that starts a run (received, or replayed from the log). */
export interface WebhookDeliveryRun {
  orgId: string;
  webhookId: string;
  /** The version whose trigger inputSchema the inputs were checked against: the run runs it. */
  versionId: string;
  /** The delivery row's id (chosen by the caller: it is in the inputs). */
  deliveryId: string;
  /** The sender's delivery id (unique per hook: the dedupe), or null. */
  dedupeKey: string | null;
  status: 'accepted' | 'replayed';
  /** The run inputs as JSON text (also kept on the delivery row, for replays). */
  inputsJson: string;
  replayOf: string | null;
  latencyMs: number | null;
  receivedAt: Date;
  /** The W3C traceparent of the delivery's span (tracing on): the run's work joins that trace. */
  traceParent?: string | null;
}

export type WebhookRunResult =
  | { outcome: 'created'; runId: string; outbox: Outboxed }
  /** Another delivery of the hook holds the dedupe key: nothing written. */
  | { outcome: 'duplicate' }
  /** The version is not the org's: nothing written. */
  | { outcome: 'no-version' };

/**
 * ONE statement: the delivery row (ON CONFLICT on (webhook_id, dedupe_key) nothing), and only if it
 * was inserted the run (queued, trigger `webhook`, triggerId the hook), its `run.created` event and
 * the outbox row of its start job. Committed together before the sender gets its 2xx.
 */
const INSERT_DELIVERY_RUN = `WITH v AS (
       SELECT v.id, v.workflow_id FROM workflow_versions v WHERE v.id = $3::uuid AND ${ofOrg('v', '$2::uuid')}),
     d AS (
       INSERT INTO webhook_deliveries (id, org_id, webhook_id, dedupe_key, status, verified, http_status, run_id, inputs, replay_of, latency_ms, received_at)
       SELECT $4::uuid, $2::uuid, $5::uuid, $6::text, $7::text, true, 202, $1::uuid, $8::jsonb, $9::uuid, $10::int, $11::timestamptz FROM v
       ON CONFLICT (webhook_id, dedupe_key) DO NOTHING
       RETURNING id),
     ${triggeredRunCtes({
       runId: '$1', org: '$2', workflow: 'v.workflow_id', inputs: '$8', triggerType: 'webhook', triggerId: '$5', gate: 'd',
       eventId: '$12', eventData: "'webhookId', $5::text, 'deliveryId', $4::text", outboxFirst: 13, traceParent: '$17',
     })}
     SELECT (SELECT id FROM ob) AS outbox_id, EXISTS (SELECT 1 FROM v) AS has_version`;

/** The run of a webhook delivery, with its delivery row, in one statement (see INSERT_DELIVERY_RUN). */
export async function startWebhookRun(q: Queryable, d: WebhookDeliveryRun): Promise<WebhookRunResult> {
  const runId = newId();
  const job = jobFor.startRun(runId);
  const { rows: [row] } = await q.query<{ outbox_id: string | null; has_version: boolean }>({
    name: 'weft_webhook_delivery_run',
    text: INSERT_DELIVERY_RUN,
    values: [
      runId, d.orgId, d.versionId, d.deliveryId, d.webhookId, d.dedupeKey, d.status, d.inputsJson, d.replayOf, d.latencyMs, d.receivedAt, newId(),
      ...outboxRowParams(job), d.traceParent ?? null,
    ],
  });
  if (!row?.has_version) return { outcome: 'no-version' };
  if (!row.outbox_id) return { outcome: 'duplicate' };
  return { outcome: 'created', runId, outbox: { ids: [row.outbox_id], jobs: [job] } };
}

/** Where a run stands, for a sync delivery waiting for its end (undefined: not the org's run). */
export async function runOutcome(q: Queryable, orgId: string, runId: string): Promise<{ status: string; output: unknown; error: unknown } | undefined> {
  const { rows: [row] } = await q.query<{ status: string; output: unknown; error: unknown }>(
    `SELECT status, output, error FROM runs WHERE id = $1 AND ${ofOrg('', '$2')}`,
    [runId, orgId],
  );
  return row;
}
