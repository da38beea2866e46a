import { alertRuleAad as aad, decryptSecretText, encryptSecret, type Envelope, type Keyring } from '@weft/crypto';

/**
 * A rule's channel secret (the Slack incoming-webhook URL, the webhook signing secret), envelope
 * encrypted like the org's secrets, its AAD bound to the org and the rule: a ciphertext moved to
 * another rule or org does not open (alertRuleAad, @weft/crypto's ENVELOPE_TABLES).
 */

export function sealRuleSecret(keyring: Keyring, orgId: string, ruleId: string, secret: string): Envelope {
  return encryptSecret(keyring, secret, aad(orgId, ruleId));
}

export function openRuleSecret(keyring: Keyring, orgId: string, ruleId: string, envelope: Envelope): string {
  return decryptSecretText(keyring, envelope, aad(orgId, ruleId));
}
