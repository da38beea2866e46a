import { describe, expect, it } from 'vitest';
import { ApiKeyVerifier, type ApiKeyLookup } from './api-keys';

type Row = Awaited<ReturnType<ApiKeyLookup>>;
const row = (over: Partial<NonNullable<Row>> = {}): Row => ({ id: 'k1', orgId: 'o1', role: 'viewer', revokedAt: null, expiresAt: null, ...over });

describe('The API key verifier', () => {
  it('never trusts a cached verdict past the key expiry', async () => {
    const expiresAt = new Date(Date.now() + 60_000);
    const v = new ApiKeyVerifier(async () => row({ expiresAt }), { ttlMs: 600_000 });
    expect(await v.verify('h')).toMatchObject({ keyId: 'k1', expiresAt });
    expect(v.cached('h', expiresAt.getTime() - 1)).toBeDefined();
    expect(v.cached('h', expiresAt.getTime())).toBeUndefined();
  });

  it('refuses a key whose expiry has passed, like a revoked one', async () => {
    const v = new ApiKeyVerifier(async () => row({ expiresAt: new Date(Date.now() - 1) }), { ttlMs: 600_000 });
    expect(await v.verify('h')).toBeUndefined();
  });

  it('forgets a revoked key at once, and every key when notices may have been lost', async () => {
    let revoked: Date | null = null;
    const v = new ApiKeyVerifier(async (hash) => row({ id: hash, revokedAt: revoked }), { ttlMs: 600_000 });
    await v.verify('a');
    await v.verify('b');
    revoked = new Date();
    v.invalidate('a');
    expect(v.cached('a')).toBeUndefined();
    expect(v.cached('b')).toBeDefined();
    expect(await v.verify('a')).toBeUndefined();
    v.invalidateAll();
    expect(v.cached('b')).toBeUndefined();
  });

  it('does not cache a lookup that was in flight when a revocation arrived', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let reads = 0;
    const v = new ApiKeyVerifier(async () => (reads++, await gate, row()), { ttlMs: 600_000 });
    const pending = v.verify('h');
    await Promise.resolve();
    v.invalidate('h');
    release();
    // The request that raced the revocation is answered, but its stale verdict is not kept.
    expect(await pending).toBeDefined();
    expect(v.cached('h')).toBeUndefined();
    expect(reads).toBe(1);
  });
});
