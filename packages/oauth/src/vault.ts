import { decryptSecretText, encryptSecret, oauthConnectionAad as aad, type Envelope, type Keyring } from '@weft/crypto';
import { z } from 'zod';

/** What a connection keeps encrypted: its app's client secret and, once connected, the account's tokens. */
export const ConnectionCredentialsSchema = z.object({
  clientSecret: z.string(),
  accessToken: z.string().optional(),
  refreshToken: z.string().optional(),
});
export type ConnectionCredentials = z.infer<typeof ConnectionCredentialsSchema>;

// The binding of a connection's envelope (oauthConnectionAad, @weft/crypto's ENVELOPE_TABLES): org,
// connection and credential version, so an envelope copied onto another row or an older version fails.

export function sealCredentials(keyring: Keyring, orgId: string, connectionId: string, version: number, c: ConnectionCredentials): Envelope {
  return encryptSecret(keyring, JSON.stringify(c), aad(orgId, connectionId, version));
}

export function openCredentials(keyring: Keyring, orgId: string, connectionId: string, version: number, e: Envelope): ConnectionCredentials {
  return ConnectionCredentialsSchema.parse(JSON.parse(decryptSecretText(keyring, e, aad(orgId, connectionId, version))));
}
