import { newId } from '@weft/db';
import { publishOutbox, startWebhookRun } from '@weft/run-store';
import type { Principal } from '../../auth/api-keys';
import { AppError, notFound } from '../../errors';
import type { Resources } from '../../resources';
import { auditActor, writeAudit } from '../audit/audit-writer';
import { inputsRefusal, resolveVersion } from '../runs/create-run';
import { storableJson } from '../runs/value-limits';
import { page } from '../workflows/workflows.service';
import { getWebhook } from './webhooks.service';

/** A page of a hook's delivery log, newest first. */
export async function listDeliveries(res: Resources, orgId: string, webhookId: string, q: { limit: number; cursor?: string | undefined }) {
  await getWebhook(res, orgId, webhookId);
  const items = await res.db.prisma.webhookDelivery.findMany({
    where: { orgId, webhookId, ...(q.cursor ? { id: { lt: q.cursor } } : {}) },
    orderBy: { id: 'desc' },
    take: q.limit + 1,
  });
  return page(items, q.limit);
}

/**
 * Starts the run of an accepted delivery again: a new delivery row (`replayed`, `replayOf` the
 * original, no dedupe key) and a new run of the workflow's latest version with the same body,
 * headers and query, committed together. The inputs are checked against that version's trigger.
 */
export async function replayDelivery(res: Resources, caller: Principal, deliveryId: string) {
  const original = await res.db.prisma.webhookDelivery.findFirst({ where: { id: deliveryId, orgId: caller.orgId } });
  if (!original) throw notFound('webhook delivery', deliveryId);
  const hook = await getWebhook(res, caller.orgId, original.webhookId);
  if (!original.inputs) throw new AppError('invalid_state', `delivery ${deliveryId} was ${original.status}: only accepted or replayed deliveries can be replayed`);
  const version = await resolveVersion(res, caller.orgId, { workflowId: hook.workflowId });
  const id = newId();
  const receivedAt = new Date();
  const inputs = { ...(original.inputs as Record<string, unknown>), deliveryId: id, receivedAt: receivedAt.toISOString() };
  const refusal = inputsRefusal(version, inputs);
  if (refusal) throw refusal;
  const created = await startWebhookRun(res.db.pool, {
    orgId: caller.orgId, webhookId: hook.id, versionId: version.id, deliveryId: id, dedupeKey: null, status: 'replayed',
    inputsJson: storableJson(res, inputs, 'inputs', 'the delivery'), replayOf: original.id, latencyMs: null, receivedAt,
  });
  if (created.outcome !== 'created') throw new AppError('conflict', 'the replay could not be recorded; retry');
  void publishOutbox(res.db.pool, res.queues, created.outbox.ids, created.outbox.jobs, res.logger, res.outboxDeletes);
  await writeAudit(res.db.pool, { ...auditActor(caller), action: 'webhook_delivery.replayed', targetType: 'webhook_delivery', targetId: original.id, data: { runId: created.runId, deliveryId: id } });
  return { runId: created.runId, deliveryId: id };
}
