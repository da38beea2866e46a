import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decryptSecretText, encodeFields, encryptSecret, rewrapSecret, type Envelope } from './envelope';
import { CryptoError } from './errors';
import { Keyring } from './keyring';

const aad = { orgId: '0190a1b2-0000-7000-8000-000000000001', secretId: '0190a1b2-0000-7000-8000-0000000000aa', version: 3 };
const ring = Keyring.generate('k1');

function flip(buf: Buffer, byte: number, bit = 0): Buffer {
  const copy = Buffer.from(buf);
  copy[byte]! ^= 1 << bit;
  return copy;
}

function expectRefused(fn: () => unknown, code: CryptoError['code'] = 'decrypt_failed') {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(CryptoError);
    expect((err as CryptoError).code).toBe(code);
    return;
  }
  throw new Error('decryption succeeded although it must fail');
}

describe('envelope encryption', () => {
  it('round-trips text, including multi-byte characters and the empty string', () => {
    for (const value of ['s3cr3t', 'p@ss w0rd "quoted" ✓ ünïcödé', '', 'x'.repeat(65_536)]) {
      expect(decryptSecretText(ring, encryptSecret(ring, value, aad), aad)).toBe(value);
    }
  });

  it('uses a fresh data key and fresh nonces: the same value encrypts differently every time', () => {
    const a = encryptSecret(ring, 'same', aad);
    const b = encryptSecret(ring, 'same', aad);
    expect(a.ciphertext.equals(b.ciphertext)).toBe(false);
    expect(a.wrappedKey.equals(b.wrappedKey)).toBe(false);
    expect(a.nonce).toHaveLength(12);
    expect(a.wrappedKey).toHaveLength(61);
    expect(a.kekId).toBe('k1');
  });

  it('never repeats a nonce over 100,000 encryptions (data and wrap nonces)', () => {
    const seen = new Set<string>();
    const n = 100_000;
    for (let i = 0; i < n; i++) {
      const e = encryptSecret(ring, 'v', aad);
      seen.add(e.nonce.toString('base64'));
      seen.add(e.wrappedKey.subarray(1, 13).toString('base64'));
    }
    expect(seen.size).toBe(2 * n);
  });

  it('refuses to decrypt under another org, secret or version (the AAD binds the row)', () => {
    const e = encryptSecret(ring, 'bound', aad);
    expectRefused(() => decryptSecretText(ring, e, { ...aad, orgId: '0190a1b2-0000-7000-8000-000000000002' }));
    expectRefused(() => decryptSecretText(ring, e, { ...aad, secretId: '0190a1b2-0000-7000-8000-0000000000ab' }));
    expectRefused(() => decryptSecretText(ring, e, { ...aad, version: 4 }));
    // Swapping org and secret ids between fields is a different AAD too.
    expectRefused(() => decryptSecretText(ring, e, { ...aad, orgId: aad.secretId, secretId: aad.orgId }));
  });

  it('refuses a ciphertext moved to another row even with its wrapped key', () => {
    const a = encryptSecret(ring, 'A', aad);
    const other = { ...aad, secretId: '0190a1b2-0000-7000-8000-0000000000cc' };
    const b = encryptSecret(ring, 'B', other);
    // B's data key with A's ciphertext, or A's whole envelope on B's row.
    expectRefused(() => decryptSecretText(ring, { ...a, wrappedKey: b.wrappedKey }, aad));
    expectRefused(() => decryptSecretText(ring, a, other));
  });

  it('fails on any single flipped bit of ciphertext, tag, nonce or wrapped key', () => {
    const e = encryptSecret(ring, 'integrity matters', aad);
    const variants: [string, (i: number) => Envelope, number][] = [
      ['ciphertext+tag', (i) => ({ ...e, ciphertext: flip(e.ciphertext, i, i % 8) }), e.ciphertext.length],
      ['nonce', (i) => ({ ...e, nonce: flip(e.nonce, i, i % 8) }), e.nonce.length],
      ['wrapped key', (i) => ({ ...e, wrappedKey: flip(e.wrappedKey, i, i % 8) }), e.wrappedKey.length],
    ];
    for (const [, variant, length] of variants) {
      for (let i = 0; i < length; i++) {
        expect(() => decryptSecretText(ring, variant(i), aad)).toThrow(CryptoError);
      }
    }
    // The last 16 bytes are the tag: flipping its last bit is an authentication failure.
    expectRefused(() => decryptSecretText(ring, { ...e, ciphertext: flip(e.ciphertext, e.ciphertext.length - 1, 7) }, aad));
    expectRefused(() => decryptSecretText(ring, { ...e, wrappedKey: flip(e.wrappedKey, 30) }, aad));
  });

  it('refuses a truncated tag instead of checking fewer bytes', () => {
    const e = encryptSecret(ring, 'short tags are weak', aad);
    expectRefused(() => decryptSecretText(ring, { ...e, ciphertext: e.ciphertext.subarray(0, e.ciphertext.length - 4) }, aad));
  });

  it('refuses a wrapped key relabelled with another KEK id, and names an unknown KEK', () => {
    const two = ring.with({ add: new Map([['k2', randomBytes(32)]]) });
    const e = encryptSecret(two, 'relabel', aad);
    expectRefused(() => decryptSecretText(two, { ...e, kekId: 'k2' }, aad));
    expectRefused(() => decryptSecretText(Keyring.generate('other'), e, aad), 'unknown_kek');
  });

  it('re-wraps under the current KEK without touching the ciphertext; then the old KEK can go', () => {
    const e = encryptSecret(ring, 'rotate me', aad);
    const next = ring.with({ add: new Map([['k2', randomBytes(32)]]), currentId: 'k2' });
    const rewrapped = { ...e, ...rewrapSecret(next, e, aad) };
    expect(rewrapped.kekId).toBe('k2');
    expect(rewrapped.ciphertext.equals(e.ciphertext)).toBe(true);
    expect(rewrapped.nonce.equals(e.nonce)).toBe(true);
    const onlyNew = next.with({ remove: ['k1'] });
    expect(decryptSecretText(onlyNew, rewrapped, aad)).toBe('rotate me');
    expectRefused(() => decryptSecretText(onlyNew, e, aad), 'unknown_kek');
  });

  it('encodes AAD fields unambiguously', () => {
    expect(encodeFields(['ab', 'c']).equals(encodeFields(['a', 'bc']))).toBe(false);
    expect(encodeFields(['a', '']).equals(encodeFields(['a']))).toBe(false);
  });
});
