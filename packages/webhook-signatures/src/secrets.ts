import { randomBytes } from 'node:crypto';
import { decryptSecretText, encryptSecret, webhookSecretAad as aad, type Envelope, type Keyring } from '@weft/crypto';
import type { WebhookScheme } from './types';

/**
 * A fresh signing secret in the scheme's usual form: `whsec_<base64 of 32 bytes>` for Standard
 * Webhooks and Stripe (Stripe uses the text as the key, Standard Webhooks the decoded bytes), 32
 * random bytes as hex for GitHub and a shared header.
 */
export function generateWebhookSecret(scheme: WebhookScheme): string {
  const bytes = randomBytes(32);
  return scheme === 'standard-webhooks' || scheme === 'stripe' ? `whsec_${bytes.toString('base64')}` : bytes.toString('hex');
}

// The AAD of a webhook secret row (webhookSecretAad, @weft/crypto's ENVELOPE_TABLES): its org and its own id.

/** Encrypts a signing secret for its `webhook_secrets` row (envelope encryption, as org secrets). */
export function sealWebhookSecret(keyring: Keyring, orgId: string, secretId: string, secret: string): Envelope {
  return encryptSecret(keyring, secret, aad(orgId, secretId));
}

/** Decrypts a `webhook_secrets` row. */
export function openWebhookSecret(keyring: Keyring, orgId: string, secretId: string, envelope: Envelope): string {
  return decryptSecretText(keyring, envelope, aad(orgId, secretId));
}
