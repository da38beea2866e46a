import { queueTestDelivery, sealRuleSecret } from '@weft/alerts';
import type { Keyring } from '@weft/crypto';
import { newId, type AlertRule } from '@weft/db';
import { rows } from '@weft/run-store';
import { generateWebhookSecret } from '@weft/webhook-signatures';
import type { AlertChannelInput, CreateAlertRuleBody, UpdateAlertRuleBody } from '@weft/workflow-schema';
import { AppError, notFound } from '../../errors';
import type { Resources } from '../../resources';
import { page } from '../workflows/workflows.service';

function keyringOf(res: Resources): Keyring {
  if (!res.keyring) throw new AppError('unavailable', 'alert channels with secrets (slack, webhook) need WEFT_KEKS and WEFT_KEK_CURRENT on this server');
  return res.keyring;
}

/**
 * The columns of a channel: its public part (`target`) and its secret, sealed for this rule (the
 * Slack URL; the webhook's signing secret, generated when not given and then returned once).
 */
interface ChannelColumns {
  columns: { channel: string; target: object; ciphertext: Uint8Array<ArrayBuffer> | null; nonce: Uint8Array<ArrayBuffer> | null; wrappedKey: Uint8Array<ArrayBuffer> | null; kekId: string | null };
  generated?: string;
}

const bytes = (b: Buffer) => new Uint8Array(b);

function channelColumns(res: Resources, orgId: string, ruleId: string, channel: AlertChannelInput): ChannelColumns {
  if (channel.type === 'email') return { columns: { channel: 'email', target: { to: channel.to }, ciphertext: null, nonce: null, wrappedKey: null, kekId: null } };
  const generated = channel.type === 'webhook' && !channel.secret ? generateWebhookSecret('standard-webhooks') : undefined;
  const secret = channel.type === 'slack' ? channel.webhookUrl : (channel.secret ?? generated!);
  const e = sealRuleSecret(keyringOf(res), orgId, ruleId, secret);
  const target = channel.type === 'slack' ? { host: new URL(channel.webhookUrl).host } : { url: channel.url };
  return {
    columns: { channel: channel.type, target, ciphertext: bytes(e.ciphertext), nonce: bytes(e.nonce), wrappedKey: bytes(e.wrappedKey), kekId: e.kekId },
    ...(generated ? { generated } : {}),
  };
}

async function workflowExists(res: Resources, orgId: string, workflowId: string) {
  const w = await res.db.prisma.workflow.findFirst({ where: { id: workflowId, orgId }, select: { id: true } });
  if (!w) throw notFound('workflow', workflowId);
}

export async function createRule(res: Resources, orgId: string, workflowId: string, body: CreateAlertRuleBody): Promise<{ rule: AlertRule; secret?: string }> {
  await workflowExists(res, orgId, workflowId);
  const id = newId();
  const { columns, generated } = channelColumns(res, orgId, id, body.channel);
  const rule = await res.db.prisma.alertRule.create({
    data: { id, orgId, workflowId, name: body.name, condition: body.condition as object, notifyRecovery: body.notifyRecovery, enabled: body.enabled, ...columns },
  });
  return generated ? { rule, secret: generated } : { rule };
}

export async function getRule(res: Resources, orgId: string, id: string): Promise<AlertRule> {
  const r = await res.db.prisma.alertRule.findFirst({ where: { id, orgId } });
  if (!r) throw notFound('alert', id);
  return r;
}

export async function listRules(res: Resources, orgId: string, workflowId: string, q: { limit: number; cursor?: string | undefined }) {
  await workflowExists(res, orgId, workflowId);
  const items = await res.db.prisma.alertRule.findMany({ where: { orgId, workflowId, ...(q.cursor ? { id: { lt: q.cursor } } : {}) }, orderBy: { id: 'desc' }, take: q.limit + 1 });
  return page(items, q.limit);
}

/**
 * Changes a rule. A new channel replaces the old one and its secret; a new condition applies from
 * the next run that ends (an open incident stays open until its recovery under the new condition).
 */
export async function updateRule(res: Resources, orgId: string, id: string, body: UpdateAlertRuleBody): Promise<{ rule: AlertRule; secret?: string }> {
  await getRule(res, orgId, id);
  const channel = body.channel ? channelColumns(res, orgId, id, body.channel) : undefined;
  const { count } = await res.db.prisma.alertRule.updateMany({
    where: { id, orgId },
    data: {
      ...(body.name !== undefined ? { name: body.name } : {}),
      ...(body.condition !== undefined ? { condition: body.condition as object } : {}),
      ...(body.notifyRecovery !== undefined ? { notifyRecovery: body.notifyRecovery } : {}),
      ...(body.enabled !== undefined ? { enabled: body.enabled } : {}),
      ...(channel?.columns ?? {}),
      updatedAt: new Date(),
    },
  });
  if (count === 0) throw notFound('alert', id);
  const rule = await getRule(res, orgId, id);
  return channel?.generated ? { rule, secret: channel.generated } : { rule };
}

/** Deletes a rule with its incidents, deliveries and their attempts; jobs still queued find nothing. */
export async function deleteRule(res: Resources, orgId: string, id: string) {
  await res.db.prisma.$transaction(async (tx) => {
    const { count } = await tx.alertRule.deleteMany({ where: { id, orgId } });
    if (count === 0) throw notFound('alert', id);
    const deliveries = await tx.alertDelivery.findMany({ where: { orgId, ruleId: id }, select: { id: true } });
    await tx.alertDeliveryAttempt.deleteMany({ where: { orgId, deliveryId: { in: deliveries.map((d) => d.id) } } });
    await tx.alertDelivery.deleteMany({ where: { orgId, ruleId: id } });
    await tx.alertIncident.deleteMany({ where: { orgId, ruleId: id } });
  });
}

export async function testRule(res: Resources, orgId: string, id: string): Promise<string> {
  await getRule(res, orgId, id);
  return queueTestDelivery(res.db.pool, res.queues, orgId, id, res.logger);
}

export async function listIncidents(res: Resources, orgId: string, q: { workflowId?: string | undefined; ruleId?: string | undefined; status?: string | undefined; limit: number; cursor?: string | undefined }) {
  const items = await res.db.prisma.alertIncident.findMany({
    where: {
      orgId,
      ...(q.workflowId ? { workflowId: q.workflowId } : {}),
      ...(q.ruleId ? { ruleId: q.ruleId } : {}),
      ...(q.status ? { status: q.status } : {}),
      ...(q.cursor ? { id: { lt: q.cursor } } : {}),
    },
    orderBy: { id: 'desc' },
    take: q.limit + 1,
  });
  return page(items, q.limit);
}

interface AttemptRow {
  delivery_id: string;
  attempt: number;
  ok: boolean;
  response_code: number | null;
  error: string | null;
  at: Date;
}

/** A page of a rule's deliveries, newest first, each with its attempts. */
export async function listDeliveries(res: Resources, orgId: string, ruleId: string, q: { limit: number; cursor?: string | undefined }) {
  await getRule(res, orgId, ruleId);
  const p = page(
    await res.db.prisma.alertDelivery.findMany({ where: { orgId, ruleId, ...(q.cursor ? { id: { lt: q.cursor } } : {}) }, orderBy: { id: 'desc' }, take: q.limit + 1 }),
    q.limit,
  );
  const attempts = await rows<AttemptRow>(
    res.db.pool,
    `SELECT delivery_id, attempt, ok, response_code, error, at FROM alert_delivery_attempts WHERE org_id = $1 AND delivery_id = ANY($2::uuid[]) ORDER BY delivery_id, attempt`,
    [orgId, p.items.map((d) => d.id)],
  );
  return {
    nextCursor: p.nextCursor,
    items: p.items.map((d) => ({ ...d, attempts: attempts.filter((a) => a.delivery_id === d.id) })),
  };
}
