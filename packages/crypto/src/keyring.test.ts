import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { checkKeyringEnv, keyringEnv, keyringFromEnv } from './env';
import { Keyring, generateKekEntry, parseKeks } from './keyring';

const b64 = (n = 32) => randomBytes(n).toString('base64');
const Env = z.object(keyringEnv).superRefine(checkKeyringEnv);

describe('WEFT_KEKS / WEFT_KEK_CURRENT', () => {
  it('parses id:base64key pairs and picks the current KEK', () => {
    const ring = Keyring.parse(`old:${b64()}, new:${b64()}`, 'new');
    expect(ring.ids()).toEqual(['old', 'new']);
    expect(ring.currentId).toBe('new');
    expect(ring.key('old')).toHaveLength(32);
  });

  it('rejects malformed entries without echoing key material', () => {
    const short = b64(16);
    expect(() => parseKeks(`a:${short}`)).toThrow(/must be 32 bytes/);
    expect(() => parseKeks(`a:${b64()},a:${b64()}`)).toThrow(/appears twice/);
    expect(() => parseKeks('nokey')).toThrow(/id:base64key/);
    expect(() => parseKeks('bad id:AAAA')).toThrow(/must match/);
    expect(() => parseKeks('a:not base64!')).toThrow(/not base64/);
    try {
      parseKeks(`a:${short}`);
    } catch (err) {
      expect((err as Error).message).not.toContain(short);
    }
  });

  it('refuses a current id that is not configured', () => {
    expect(() => Keyring.parse(`a:${b64()}`, 'b')).toThrow(/not among the configured KEKs/);
  });

  it('validates in an env schema: unset means disabled, set-but-wrong fails at boot', () => {
    expect(keyringFromEnv(Env.parse({}))).toBeUndefined();
    const entry = generateKekEntry('dev');
    expect(keyringFromEnv(Env.parse({ WEFT_KEKS: entry, WEFT_KEK_CURRENT: 'dev' }))?.currentId).toBe('dev');
    const missing = Env.safeParse({ WEFT_KEKS: entry });
    expect(missing.success).toBe(false);
    expect(missing.error?.issues[0]?.path).toEqual(['WEFT_KEK_CURRENT']);
    const wrong = Env.safeParse({ WEFT_KEKS: entry, WEFT_KEK_CURRENT: 'other' });
    expect(wrong.error?.issues[0]?.message).toMatch(/not an id in WEFT_KEKS/);
    const bad = Env.safeParse({ WEFT_KEKS: 'dev:abc', WEFT_KEK_CURRENT: 'dev' });
    expect(bad.error?.issues[0]?.path).toEqual(['WEFT_KEKS']);
  });

  it('never serialises keys', () => {
    const ring = Keyring.generate('k');
    expect(JSON.stringify(ring)).toBe('{"currentId":"k","ids":["k"]}');
  });
});
