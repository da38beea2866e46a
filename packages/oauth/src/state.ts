import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { encodeFields, type Keyring } from '@weft/crypto';

/** What an authorization request's `state` is bound to (the row of `oauth_states`). */
export interface StateBinding {
  stateId: string;
  orgId: string;
  userId: string;
  connectionId: string;
  expiresAt: Date;
}

/** A key for one purpose derived from a KEK (HKDF-SHA256): state signatures and PKCE verifiers never use the KEK itself. */
function derivedKey(keyring: Keyring, kekId: string, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', keyring.key(kekId), Buffer.alloc(0), `weft/oauth/${purpose}/v1`, 32));
}

const mac = (key: Buffer, fields: string[]) => createHmac('sha256', key).update(encodeFields(fields)).digest('base64url');

const bindingFields = (b: StateBinding) => [b.stateId, b.orgId, b.userId, b.connectionId, String(b.expiresAt.getTime())];

/** The `state` parameter: the state row's id and an HMAC over everything it is bound to. */
export function signState(keyring: Keyring, kekId: string, b: StateBinding): string {
  return `${b.stateId}.${mac(derivedKey(keyring, kekId, 'state'), bindingFields(b))}`;
}

/** The state row id a `state` parameter names (its signature is checked by `verifyState`). */
export function stateIdOf(state: string): string | undefined {
  const id = state.split('.')[0];
  return id && /^[0-9a-f-]{36}$/i.test(id) && state.split('.').length === 2 ? id : undefined;
}

/** Whether `state` is the signature of the row it names (constant time). */
export function verifyState(keyring: Keyring, kekId: string, b: StateBinding, state: string): boolean {
  const given = Buffer.from(state);
  const expected = Buffer.from(signState(keyring, kekId, b));
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** The PKCE code verifier of a state (43 base64url characters): derived, so it is stored nowhere. */
export function codeVerifierOf(keyring: Keyring, kekId: string, stateId: string): string {
  return mac(derivedKey(keyring, kekId, 'pkce'), [stateId]);
}
