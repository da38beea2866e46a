import { randomBytes } from 'node:crypto';
import { CryptoError } from './errors';

/** AES-256 keys: 32 bytes. */
export const KEY_BYTES = 32;

/** A KEK id: short, printable, and never containing the `,` and `:` of the WEFT_KEKS syntax. */
const KEK_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/**
 * The key-encryption keys (KEKs) this process holds, by id, and the one that wraps new data
 * keys. Old KEKs stay in the ring until `rotate-keys` has re-wrapped everything under the
 * current one; only then may they be removed.
 */
export class Keyring {
  private readonly keys: ReadonlyMap<string, Buffer>;

  constructor(keys: ReadonlyMap<string, Buffer>, readonly currentId: string) {
    for (const [id, key] of keys) {
      if (!KEK_ID.test(id)) throw new CryptoError('invalid_keyring', `KEK id "${id}" must match ${KEK_ID}`);
      if (key.length !== KEY_BYTES) throw new CryptoError('invalid_keyring', `KEK "${id}" must be ${KEY_BYTES} bytes, got ${key.length}`);
    }
    if (!keys.has(currentId)) throw new CryptoError('invalid_keyring', `the current KEK "${currentId}" is not among the configured KEKs (${[...keys.keys()].join(', ') || 'none'})`);
    this.keys = new Map([...keys].map(([id, key]) => [id, Buffer.from(key)]));
  }

  /**
   * Parses `WEFT_KEKS` (`id:base64key,id:base64key`) and `WEFT_KEK_CURRENT`. Errors name the
   * offending id or position, never key material.
   */
  static parse(keks: string, currentId: string): Keyring {
    return new Keyring(parseKeks(keks), currentId.trim());
  }

  /** A keyring with one fresh random KEK (tests, first start in development). */
  static generate(id = `kek-${randomBytes(4).toString('hex')}`): Keyring {
    return new Keyring(new Map([[id, randomBytes(KEY_BYTES)]]), id);
  }

  /** The same keys with another current KEK, or with keys added/removed (rotation steps, tests). */
  with(changes: { add?: ReadonlyMap<string, Buffer>; remove?: readonly string[]; currentId?: string }): Keyring {
    const keys = new Map(this.keys);
    for (const [id, key] of changes.add ?? []) keys.set(id, key);
    for (const id of changes.remove ?? []) keys.delete(id);
    return new Keyring(keys, changes.currentId ?? this.currentId);
  }

  has(id: string): boolean {
    return this.keys.has(id);
  }

  ids(): string[] {
    return [...this.keys.keys()];
  }

  /** The KEK with this id; `unknown_kek` when this process was not given it. */
  key(id: string): Buffer {
    const key = this.keys.get(id);
    if (!key) throw new CryptoError('unknown_kek', `KEK "${id}" is not configured (WEFT_KEKS holds ${this.ids().join(', ')})`);
    return key;
  }

  /** `WEFT_KEKS` syntax for these keys (tests and the development start script write it). */
  toEnv(): { WEFT_KEKS: string; WEFT_KEK_CURRENT: string } {
    return { WEFT_KEKS: [...this.keys].map(([id, key]) => `${id}:${key.toString('base64')}`).join(','), WEFT_KEK_CURRENT: this.currentId };
  }

  /** Keys never reach logs or JSON by accident. */
  toJSON() {
    return { currentId: this.currentId, ids: this.ids() };
  }
}

/** `id:base64key,id:base64key` → id → 32-byte key. Throws CryptoError('invalid_keyring'). */
export function parseKeks(spec: string): Map<string, Buffer> {
  const keys = new Map<string, Buffer>();
  const entries = spec.split(',').map((s) => s.trim()).filter(Boolean);
  entries.forEach((entry, i) => {
    const colon = entry.indexOf(':');
    if (colon <= 0) throw new CryptoError('invalid_keyring', `entry ${i + 1} must be "id:base64key"`);
    const id = entry.slice(0, colon).trim();
    const b64 = entry.slice(colon + 1).trim();
    if (!KEK_ID.test(id)) throw new CryptoError('invalid_keyring', `entry ${i + 1}: KEK id must match ${KEK_ID}`);
    if (keys.has(id)) throw new CryptoError('invalid_keyring', `KEK id "${id}" appears twice`);
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) throw new CryptoError('invalid_keyring', `KEK "${id}": the key is not base64`);
    const key = Buffer.from(b64, 'base64');
    if (key.length !== KEY_BYTES) throw new CryptoError('invalid_keyring', `KEK "${id}": the key must be ${KEY_BYTES} bytes (base64 of 32 random bytes), got ${key.length}`);
    keys.set(id, key);
  });
  return keys;
}

/** A new `id:base64key` pair for WEFT_KEKS (`openssl rand -base64 32` does the same). */
export function generateKekEntry(id: string): string {
  if (!KEK_ID.test(id)) throw new CryptoError('invalid_keyring', `KEK id must match ${KEK_ID}`);
  return `${id}:${randomBytes(KEY_BYTES).toString('base64')}`;
}
