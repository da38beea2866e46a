import { describe, expect, it } from 'vitest';
import { createLogger } from './index';
import { SECRET_MASK, SecretMasker, maskSecrets, registerActiveSecrets } from './mask';

const secret = 'tok_Zx9+/q "quoted" & spaced ✓';

describe('secret masking', () => {
  it('masks the plain, JSON-escaped, URL-encoded, form-encoded, hex and base64 forms', () => {
    const forms = [
      secret,
      JSON.stringify(secret).slice(1, -1),
      encodeURIComponent(secret),
      new URLSearchParams({ s: secret }).toString().slice(2),
      Buffer.from(secret).toString('hex'),
      Buffer.from(secret).toString('base64'),
      Buffer.from(secret).toString('base64url'),
    ];
    for (const form of forms) expect(maskSecrets(`before ${form} after`, [secret])).toBe(`before ${SECRET_MASK} after`);
  });

  it('finds the base64 of a secret inside a longer base64 text, at every alignment', () => {
    for (const prefix of ['', 'B', 'Be', 'Bearer ', 'Basic dXNlcjo=']) {
      for (const suffix of ['', '!', 'xy']) {
        const b64 = Buffer.from(`${prefix}${secret}${suffix}`).toString('base64');
        const masked = maskSecrets(b64, [secret]);
        expect(masked, `${prefix}|${suffix}`).toContain(SECRET_MASK);
        // What is left cannot be decoded back to the secret.
        expect(Buffer.from(masked.replace(SECRET_MASK, ''), 'base64').toString()).not.toContain(secret.slice(2, -2));
      }
    }
  });

  it('masks the password of a secret URL on its own', () => {
    const smtp = 'smtps://bot:pa%24%24w0rd@smtp.example.com:465';
    expect(maskSecrets('login failed for bot with pa$$w0rd', [smtp])).toBe(`login failed for bot with ${SECRET_MASK}`);
  });

  it('masks JSON values deeply, keys included, without touching other data', () => {
    const m = new SecretMasker([secret]);
    const value = { a: [1, true, null, `x${secret}y`], [secret]: { n: 2 }, err: new Error(`bad ${secret}`) };
    expect(m.mask(value)).toEqual({ a: [1, true, null, `x${SECRET_MASK}y`], [SECRET_MASK]: { n: 2 }, err: expect.objectContaining({ type: 'Error', message: `bad ${SECRET_MASK}` }) });
    expect(m.contains(`..${Buffer.from(secret).toString('base64')}..`)).toBe(true);
    expect(m.contains('nothing here')).toBe(false);
  });

  it('masks a value nested 1,000 levels deep, in objects, arrays and keys', () => {
    const m = new SecretMasker([secret]);
    let value: unknown = { leaf: `deep ${secret}`, [`key ${secret}`]: Buffer.from(secret).toString('base64') };
    for (let i = 0; i < 1000; i++) value = i % 2 ? { [`level${i}`]: value } : [value, i];
    const text = JSON.stringify(m.mask(value));
    expect(text).not.toContain(JSON.stringify(secret).slice(1, -1));
    expect(text).not.toContain(Buffer.from(secret).toString('base64'));
    expect(text.split(SECRET_MASK)).toHaveLength(4); // the leaf, the key and the base64 value
  });

  it('walks without recursion: 200,000 levels do not overflow the stack', () => {
    const m = new SecretMasker([secret]);
    let value: unknown = secret;
    for (let i = 0; i < 200_000; i++) value = [value];
    let out = m.mask(value) as unknown;
    for (let i = 0; i < 200_000; i++) out = (out as unknown[])[0];
    expect(out).toBe(SECRET_MASK);
  });

  it('copies shared objects once and keeps cycles as cycles', () => {
    const m = new SecretMasker([secret]);
    const shared = { s: secret };
    const value: Record<string, unknown> = { a: shared, b: shared, err: new Error(secret) };
    value.self = value;
    const out = m.mask(value);
    expect(out.a).toEqual({ s: SECRET_MASK });
    expect(out.a).toBe(out.b);
    expect(out.self).toBe(out);
    expect(out.err).toMatchObject({ type: 'Error', message: SECRET_MASK });
    expect(value.a).toBe(shared); // the input is left alone
    expect(shared.s).toBe(secret);
  });

  it('keeps a "__proto__" key a key, masked, without touching prototypes', () => {
    const m = new SecretMasker([secret]);
    const out = m.mask(JSON.parse(`{"__proto__": {"x": ${JSON.stringify(secret)}}}`) as Record<string, unknown>);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.keys(out)).toEqual(['__proto__']);
    expect(JSON.stringify(out)).toBe(`{"__proto__":{"x":"${SECRET_MASK}"}}`);
  });

  it('leaves values shorter than 4 characters alone (they cannot be masked without shredding text)', () => {
    expect(maskSecrets('abc abc', ['abc'])).toBe('abc abc');
  });

  it('masks active secrets in every log line, in messages and in objects, until released', () => {
    const lines: string[] = [];
    const log = createLogger({ service: 't', level: 'debug', destination: { write: (l: string) => void lines.push(l) } });
    const release = registerActiveSecrets([secret]);
    log.debug({ header: `Bearer ${secret}`, nested: { b64: Buffer.from(secret).toString('base64') } }, `calling with ${secret}`);
    log.error({ err: new Error(`boom ${encodeURIComponent(secret)}`) }, 'failed');
    release();
    log.info(`after release ${secret}`);
    expect(lines).toHaveLength(3);
    const inJson = JSON.stringify(secret).slice(1, -1);
    for (const line of lines.slice(0, 2)) {
      expect(line).not.toContain(inJson);
      expect(line).not.toContain(encodeURIComponent(secret));
      expect(line).not.toContain(Buffer.from(secret).toString('base64'));
      expect(line).toContain(SECRET_MASK);
    }
    expect(lines[2]).toContain(inJson);
  });
});
