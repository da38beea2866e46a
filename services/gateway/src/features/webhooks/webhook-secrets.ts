import type { Keyring } from '@weft/crypto';
import { newId } from '@weft/db';
import { rows, type Queryable } from '@weft/run-store';
import { generateWebhookSecret, sealWebhookSecret } from '@weft/webhook-signatures';
import type { WebhookScheme } from '@weft/workflow-schema';

/**
 * Stores a signing secret of a hook (the given one, or a generated one that the caller returns
 * once), envelope-encrypted; returns the row id and the secret if it was generated.
 */
export async function insertWebhookSecret(q: Queryable, keyring: Keyring, orgId: string, webhookId: string, scheme: WebhookScheme, given?: string): Promise<{ id: string; generated?: string }> {
  const secret = given ?? generateWebhookSecret(scheme);
  const id = newId();
  const e = sealWebhookSecret(keyring, orgId, id, secret);
  await q.query(
    `INSERT INTO webhook_secrets (id, org_id, webhook_id, ciphertext, nonce, wrapped_key, kek_id) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [id, orgId, webhookId, e.ciphertext, e.nonce, e.wrappedKey, e.kekId],
  );
  return given ? { id } : { id, generated: secret };
}

/** Ends the validity of the hook's current secrets at `until` (those ending sooner keep their end). */
export async function expireWebhookSecrets(q: Queryable, orgId: string, webhookId: string, until: Date): Promise<void> {
  await q.query(
    `UPDATE webhook_secrets SET expires_at = LEAST(COALESCE(expires_at, $3), $3)
     WHERE webhook_id = $1 AND org_id = $2 AND (expires_at IS NULL OR expires_at > now())`,
    [webhookId, orgId, until],
  );
}

/** The secrets of hooks that verify now (metadata only). */
export async function liveSecrets(q: Queryable, orgId: string, webhookIds: string[]): Promise<{ id: string; webhookId: string; createdAt: Date; expiresAt: Date | null }[]> {
  return rows(
    q,
    `SELECT id, webhook_id AS "webhookId", created_at AS "createdAt", expires_at AS "expiresAt" FROM webhook_secrets
     WHERE webhook_id = ANY($1::uuid[]) AND org_id = $2 AND (expires_at IS NULL OR expires_at > now()) ORDER BY id`,
    [webhookIds, orgId],
  );
}
