import { newId } from '@weft/db';
import { rows, type Queryable } from '@weft/run-store';

/** A delivery that started nothing: refused (signature, content, inputs) or a redelivery (deduped). */
export interface LoggedDelivery {
  orgId: string;
  webhookId: string;
  status: 'refused' | 'deduped';
  verified: boolean;
  reason: string | null;
  httpStatus: number;
  /** deduped: the run of the first delivery. */
  runId: string | null;
  latencyMs: number;
  receivedAt: Date;
}

/** Appends a delivery to the hook's log (no dedupe key: such rows never dedupe anything). */
export async function logDelivery(q: Queryable, d: LoggedDelivery): Promise<string> {
  const id = newId();
  await q.query(
    `INSERT INTO webhook_deliveries (id, org_id, webhook_id, status, verified, reason, http_status, run_id, latency_ms, received_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [id, d.orgId, d.webhookId, d.status, d.verified, d.reason, d.httpStatus, d.runId, d.latencyMs, d.receivedAt],
  );
  return id;
}

/** The delivery of the hook holding a dedupe key (committed: the insert that lost waited for it). */
export async function deliveryByKey(q: Queryable, webhookId: string, dedupeKey: string): Promise<{ id: string; runId: string | null; receivedAt: Date } | undefined> {
  const [row] = await rows<{ id: string; run_id: string | null; received_at: Date }>(
    q,
    'SELECT id, run_id, received_at FROM webhook_deliveries WHERE webhook_id = $1 AND dedupe_key = $2',
    [webhookId, dedupeKey],
  );
  return row && { id: row.id, runId: row.run_id, receivedAt: row.received_at };
}

/** Past the dedupe window the key is freed (the row stays in the log): the next delivery with it starts a run. */
export async function releaseKey(q: Queryable, deliveryId: string): Promise<void> {
  await q.query('UPDATE webhook_deliveries SET dedupe_key = NULL WHERE id = $1', [deliveryId]);
}
