import type { Keyring } from '@weft/crypto';
import { newId, type Webhook } from '@weft/db';
import { withTx } from '@weft/run-store';
import type { CreateWebhookBody, RotateWebhookSecretBody, UpdateWebhookBody } from '@weft/workflow-schema';
import type { Principal } from '../../auth/api-keys';
import { AppError, notFound } from '../../errors';
import type { Resources } from '../../resources';
import { auditActor, writeAudit } from '../audit/audit-writer';
import { page } from '../workflows/workflows.service';
import { expireWebhookSecrets, insertWebhookSecret, liveSecrets } from './webhook-secrets';

function keyringOf(res: Resources): Keyring {
  if (!res.keyring) throw new AppError('unavailable', 'webhook secrets cannot be stored on this server: set WEFT_KEKS and WEFT_KEK_CURRENT');
  return res.keyring;
}

const audit = (caller: Principal, action: string, id: string, data: Record<string, unknown> = {}) => ({ ...auditActor(caller), action, targetType: 'webhook', targetId: id, data });

/** A hook of the org that is not deleted. */
export async function getWebhook(res: Resources, orgId: string, id: string): Promise<Webhook> {
  const h = await res.db.prisma.webhook.findFirst({ where: { id, orgId, deletedAt: null } });
  if (!h) throw notFound('webhook', id);
  return h;
}

/** The hooks with their live secrets' metadata. */
export async function withSecrets(res: Resources, orgId: string, hooks: Webhook[]) {
  const secrets = await liveSecrets(res.db.pool, orgId, hooks.map((h) => h.id));
  return hooks.map((hook) => ({ hook, secrets: secrets.filter((s) => s.webhookId === hook.id) }));
}

/**
 * Creates a hook on a workflow of the org, with its signing secret (given, or generated and
 * returned once) encrypted at rest, and its audit entry, in one transaction.
 */
export async function createWebhook(res: Resources, caller: Principal, workflowId: string, body: CreateWebhookBody) {
  const w = await res.db.prisma.workflow.findFirst({ where: { id: workflowId, orgId: caller.orgId }, select: { id: true } });
  if (!w) throw notFound('workflow', workflowId);
  const { scheme } = body.verification;
  const keyring = scheme === 'none' ? undefined : keyringOf(res);
  const id = newId();
  const generated = await withTx(res.db.pool, async (c) => {
    await c.query(
      `INSERT INTO webhooks (id, org_id, workflow_id, scheme, header, dedupe_header, mode, sync_timeout_ms, inputs, enabled)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [id, caller.orgId, workflowId, scheme, body.verification.header ?? null, body.dedupeHeader ?? null, body.mode, body.syncTimeoutMs, JSON.stringify(body.inputs ?? {}), body.enabled],
    );
    const secret = keyring ? await insertWebhookSecret(c, keyring, caller.orgId, id, scheme, body.verification.secret) : undefined;
    await writeAudit(c, audit(caller, 'webhook.created', id, { workflowId, scheme, mode: body.mode }));
    return secret?.generated;
  });
  return { ...(await withSecrets(res, caller.orgId, [await getWebhook(res, caller.orgId, id)]))[0]!, generated };
}

export async function listWebhooks(res: Resources, orgId: string, workflowId: string, q: { limit: number; cursor?: string | undefined }) {
  const w = await res.db.prisma.workflow.findFirst({ where: { id: workflowId, orgId }, select: { id: true } });
  if (!w) throw notFound('workflow', workflowId);
  const items = await res.db.prisma.webhook.findMany({
    where: { orgId, workflowId, deletedAt: null, ...(q.cursor ? { id: { lt: q.cursor } } : {}) },
    orderBy: { id: 'desc' },
    take: q.limit + 1,
  });
  const p = page(items, q.limit);
  return { items: await withSecrets(res, orgId, p.items), nextCursor: p.nextCursor };
}

/** The org's live webhooks, newest first (of one workflow when `workflowId` is given). */
export async function listOrgWebhooks(res: Resources, orgId: string, q: { limit: number; cursor?: string | undefined; workflowId?: string | undefined }) {
  const items = await res.db.prisma.webhook.findMany({
    where: { orgId, deletedAt: null, ...(q.workflowId ? { workflowId: q.workflowId } : {}), ...(q.cursor ? { id: { lt: q.cursor } } : {}) },
    orderBy: { id: 'desc' },
    take: q.limit + 1,
  });
  const p = page(items, q.limit);
  return { items: await withSecrets(res, orgId, p.items), nextCursor: p.nextCursor };
}

export async function updateWebhook(res: Resources, caller: Principal, id: string, body: UpdateWebhookBody) {
  const { count } = await res.db.prisma.webhook.updateMany({
    where: { id, orgId: caller.orgId, deletedAt: null },
    data: {
      ...(body.mode ? { mode: body.mode } : {}),
      ...(body.syncTimeoutMs !== undefined ? { syncTimeoutMs: body.syncTimeoutMs } : {}),
      ...(body.dedupeHeader !== undefined ? { dedupeHeader: body.dedupeHeader } : {}),
      ...(body.inputs !== undefined ? { inputs: body.inputs } : {}),
      ...(body.enabled !== undefined ? { enabled: body.enabled } : {}),
      updatedAt: new Date(),
    },
  });
  if (count === 0) throw notFound('webhook', id);
  await writeAudit(res.db.pool, audit(caller, 'webhook.updated', id, { fields: Object.keys(body) }));
  return (await withSecrets(res, caller.orgId, [await getWebhook(res, caller.orgId, id)]))[0]!;
}

/** Deletes a hook: its URL answers 410 from now on; the row and its delivery log stay. */
export async function deleteWebhook(res: Resources, caller: Principal, id: string): Promise<void> {
  await withTx(res.db.pool, async (c) => {
    const { rowCount } = await c.query('UPDATE webhooks SET deleted_at = now(), enabled = false, updated_at = now() WHERE id = $1 AND org_id = $2 AND deleted_at IS NULL', [id, caller.orgId]);
    if (!rowCount) throw notFound('webhook', id);
    await c.query('DELETE FROM webhook_secrets WHERE webhook_id = $1 AND org_id = $2', [id, caller.orgId]);
    await writeAudit(c, audit(caller, 'webhook.deleted', id));
  });
}

/**
 * A new signing secret: the previous ones keep verifying for `graceSeconds` (several secrets
 * verify at once), then only the new one does.
 */
export async function rotateWebhookSecret(res: Resources, caller: Principal, id: string, body: RotateWebhookSecretBody) {
  const hook = await getWebhook(res, caller.orgId, id);
  if (hook.scheme === 'none') throw new AppError('invalid_state', 'a webhook with scheme none has no secret to rotate');
  const keyring = keyringOf(res);
  const until = new Date(Date.now() + body.graceSeconds * 1000);
  return withTx(res.db.pool, async (c) => {
    // The row lock orders concurrent rotations of one hook.
    await c.query('SELECT 1 FROM webhooks WHERE id = $1 AND org_id = $2 FOR UPDATE', [id, caller.orgId]);
    await expireWebhookSecrets(c, caller.orgId, id, until);
    const secret = await insertWebhookSecret(c, keyring, caller.orgId, id, hook.scheme as CreateWebhookBody['verification']['scheme'], body.secret);
    await writeAudit(c, audit(caller, 'webhook.secret_rotated', id, { graceSeconds: body.graceSeconds }));
    return { id: secret.id, ...(secret.generated ? { secret: secret.generated } : {}), previousValidUntil: until.toISOString() };
  });
}
