import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { CryptoError } from './errors';
import { KEY_BYTES, type Keyring } from './keyring';

/*
 * Envelope encryption of secret values (node:crypto only, AES-256-GCM everywhere):
 *
 *   data key (DEK)  32 random bytes, fresh for every secret version, used for ONE encryption
 *   ciphertext      AES-256-GCM(DEK, nonce, plaintext, AAD = org id + secret id + version) || tag
 *   wrapped key     0x01 || wrapNonce || AES-256-GCM(KEK, wrapNonce, DEK, AAD = kek id + org id
 *                   + secret id + version) || tag
 *
 * Nonces are 96 random bits per encryption. A DEK encrypts once, so its nonce can never repeat
 * under it; a KEK wraps one DEK per secret version, far below the 2^32 random-nonce limit of
 * NIST SP 800-38D. Binding the AAD to org, secret and version means a ciphertext or wrapped key
 * copied onto another row (another org, secret or version) fails authentication instead of
 * decrypting there. Rotation re-wraps the DEK only: the ciphertext is never touched.
 */

const ALGORITHM = 'aes-256-gcm';
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const WRAP_FORMAT = 0x01;
const WRAPPED_BYTES = 1 + NONCE_BYTES + KEY_BYTES + TAG_BYTES;

/** What a ciphertext is bound to: the row it belongs to. */
export interface SecretAad {
  orgId: string;
  secretId: string;
  version: number;
}

/** One stored secret version (the columns of `secret_versions`). */
export interface Envelope {
  /** AES-256-GCM ciphertext followed by its 16-byte tag. */
  ciphertext: Buffer;
  /** The 12-byte nonce of the ciphertext. */
  nonce: Buffer;
  /** Format byte, wrap nonce, encrypted data key and tag. */
  wrappedKey: Buffer;
  /** Id of the KEK that wrapped the data key. */
  kekId: string;
}

/**
 * Length-prefixed fields (4-byte big-endian length, then UTF-8 bytes): unambiguous, so no two
 * different field lists encode to the same bytes ("a|bc" vs "ab|c").
 */
export function encodeFields(fields: readonly string[]): Buffer {
  const parts: Buffer[] = [];
  for (const f of fields) {
    const bytes = Buffer.from(f, 'utf8');
    const len = Buffer.alloc(4);
    len.writeUInt32BE(bytes.length);
    parts.push(len, bytes);
  }
  return Buffer.concat(parts);
}

function checkAad(aad: SecretAad) {
  if (!Number.isSafeInteger(aad.version) || aad.version < 1) throw new CryptoError('invalid_envelope', 'the secret version must be a positive integer');
  if (!aad.orgId || !aad.secretId) throw new CryptoError('invalid_envelope', 'org id and secret id are required');
}

const dataAad = (a: SecretAad) => encodeFields(['weft/secret/v1', a.orgId, a.secretId, String(a.version)]);
const wrapAad = (kekId: string, a: SecretAad) => encodeFields(['weft/dek/v1', kekId, a.orgId, a.secretId, String(a.version)]);

function seal(key: Buffer, plaintext: Buffer, aad: Buffer): { nonce: Buffer; sealed: Buffer } {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv(ALGORITHM, key, nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad);
  const sealed = Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
  return { nonce, sealed };
}

function open(key: Buffer, nonce: Buffer, sealed: Buffer, aad: Buffer, what: string): Buffer {
  if (nonce.length !== NONCE_BYTES || sealed.length < TAG_BYTES) throw new CryptoError('invalid_envelope', `${what}: malformed`);
  // authTagLength pins the tag to 16 bytes: a truncated tag is refused, not accepted as shorter.
  const decipher = createDecipheriv(ALGORITHM, key, nonce, { authTagLength: TAG_BYTES });
  decipher.setAAD(aad);
  decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
  try {
    return Buffer.concat([decipher.update(sealed.subarray(0, sealed.length - TAG_BYTES)), decipher.final()]);
  } catch {
    throw new CryptoError('decrypt_failed', `${what}: authentication failed (wrong key, wrong binding or altered bytes)`);
  }
}

function wrapKey(keyring: Keyring, dek: Buffer, aad: SecretAad): { wrappedKey: Buffer; kekId: string } {
  const kekId = keyring.currentId;
  const { nonce, sealed } = seal(keyring.key(kekId), dek, wrapAad(kekId, aad));
  return { wrappedKey: Buffer.concat([Buffer.from([WRAP_FORMAT]), nonce, sealed]), kekId };
}

function unwrapKey(keyring: Keyring, envelope: Pick<Envelope, 'wrappedKey' | 'kekId'>, aad: SecretAad): Buffer {
  const w = envelope.wrappedKey;
  if (w.length !== WRAPPED_BYTES || w[0] !== WRAP_FORMAT) throw new CryptoError('invalid_envelope', 'wrapped key: unknown format');
  const kek = keyring.key(envelope.kekId);
  return open(kek, w.subarray(1, 1 + NONCE_BYTES), w.subarray(1 + NONCE_BYTES), wrapAad(envelope.kekId, aad), 'wrapped key');
}

/** Encrypts one secret version under a fresh data key wrapped by the current KEK. */
export function encryptSecret(keyring: Keyring, plaintext: string | Buffer, aad: SecretAad): Envelope {
  checkAad(aad);
  const dek = randomBytes(KEY_BYTES);
  try {
    const data = typeof plaintext === 'string' ? Buffer.from(plaintext, 'utf8') : plaintext;
    const { nonce, sealed } = seal(dek, data, dataAad(aad));
    return { ciphertext: sealed, nonce, ...wrapKey(keyring, dek, aad) };
  } finally {
    dek.fill(0);
  }
}

/** Decrypts one secret version; `decrypt_failed` if anything (key, binding, byte) is off. */
export function decryptSecret(keyring: Keyring, envelope: Envelope, aad: SecretAad): Buffer {
  checkAad(aad);
  const dek = unwrapKey(keyring, envelope, aad);
  try {
    return open(dek, envelope.nonce, envelope.ciphertext, dataAad(aad), 'secret');
  } finally {
    dek.fill(0);
  }
}

/** decryptSecret as UTF-8 text. */
export function decryptSecretText(keyring: Keyring, envelope: Envelope, aad: SecretAad): string {
  const bytes = decryptSecret(keyring, envelope, aad);
  try {
    return bytes.toString('utf8');
  } finally {
    bytes.fill(0);
  }
}

/**
 * Re-wraps the data key under the current KEK (fresh wrap nonce). The ciphertext and its nonce
 * stay as they are; only `wrappedKey` and `kekId` change.
 */
export function rewrapSecret(keyring: Keyring, envelope: Pick<Envelope, 'wrappedKey' | 'kekId'>, aad: SecretAad): { wrappedKey: Buffer; kekId: string } {
  checkAad(aad);
  const dek = unwrapKey(keyring, envelope, aad);
  try {
    return wrapKey(keyring, dek, aad);
  } finally {
    dek.fill(0);
  }
}
