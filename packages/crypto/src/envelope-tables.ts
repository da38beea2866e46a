import type { SecretAad } from './envelope';

/**
 * Every table that stores an envelope (columns ciphertext, nonce, wrapped_key, kek_id) and what
 * each row's envelope is bound to (its AAD). The packages that seal and open these rows take their
 * AAD from here, `rotate-keys` re-wraps every table listed here, and a test fails when a table
 * with a `wrapped_key` column is missing from the list (tests/integration/src/key-rotation.test.ts).
 */
export interface EnvelopeTable {
  table: string;
  /** Columns besides id, org_id and the envelope that the AAD is computed from. */
  aadColumns: readonly string[];
  /** The AAD of one row (`row` holds id, org_id and `aadColumns`). */
  aad(row: Record<string, unknown>): SecretAad;
}

const str = (v: unknown) => String(v);

/** An org secret's version: org, secret, version. */
export const secretVersionAad = (orgId: string, secretId: string, version: number): SecretAad => ({ orgId, secretId, version });
/** A webhook signing secret (`webhook_secrets`): org and its own row id, one version per row. */
export const webhookSecretAad = (orgId: string, rowId: string): SecretAad => ({ orgId, secretId: rowId, version: 1 });
/** An alert rule's channel secret: org and rule (one envelope per rule, replaced on change). */
export const alertRuleAad = (orgId: string, ruleId: string): SecretAad => ({ orgId, secretId: `alert-rule:${ruleId}`, version: 1 });
/** An OAuth connection's credentials: org, connection and credential version (new at every connect and refresh). */
export const oauthConnectionAad = (orgId: string, connectionId: string, version: number): SecretAad => ({ orgId, secretId: `oauth-connection:${connectionId}`, version });

export const ENVELOPE_TABLES: readonly EnvelopeTable[] = [
  { table: 'secret_versions', aadColumns: ['secret_id', 'version'], aad: (r) => secretVersionAad(str(r.org_id), str(r.secret_id), Number(r.version)) },
  { table: 'webhook_secrets', aadColumns: [], aad: (r) => webhookSecretAad(str(r.org_id), str(r.id)) },
  { table: 'alert_rules', aadColumns: [], aad: (r) => alertRuleAad(str(r.org_id), str(r.id)) },
  { table: 'oauth_connections', aadColumns: ['credential_version'], aad: (r) => oauthConnectionAad(str(r.org_id), str(r.id), Number(r.credential_version)) },
];

/**
 * Tables with a `kek_id` column that hold no envelope: `oauth_states` names the KEK its state
 * HMAC and PKCE verifier are derived from. Its rows live minutes (they expire and the sweeper
 * deletes them), so rotation leaves them alone.
 */
export const KEK_ONLY_TABLES: readonly string[] = ['oauth_states'];
