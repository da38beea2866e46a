import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { hashApiKey } from '@weft/gateway';
import { callAs, mintKey } from './accounts-http';
import { startLoneGateway, type LoneGateway } from './lone-gateway';

let gw: LoneGateway;
beforeAll(async () => {
  // A cached verdict is trusted for ten minutes here: a key that stops working sooner was invalidated.
  gw = await startLoneGateway({ app: { apiKeyCacheMs: 600_000 } });
});
afterAll(async () => {
  await gw?.stop();
});

const call = (key: string, method: string, url: string, body?: unknown) => callAs(gw.url, key, method, url, body);

describe('API keys are created, listed and revoked through the API', () => {
  it('creates a key whose secret part is shown once, lists its metadata only, and the key works with its role', async () => {
    const created = await call(gw.apiKey, 'POST', '/v1/api-keys', { name: 'ci deploys', role: 'operator' });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: expect.any(String), name: 'ci deploys', role: 'operator', prefix: created.body.key.slice(0, 12),
      key: expect.stringMatching(/^weft_/), createdAt: expect.any(String), expiresAt: null,
    });
    const { rows } = await gw.db.pool.query('SELECT hash FROM api_keys WHERE id = $1', [created.body.id]);
    expect(rows[0].hash).toBe(hashApiKey(created.body.key));

    const list = await call(gw.apiKey, 'GET', '/v1/api-keys');
    expect(list.status).toBe(200);
    const listed = list.body.items.find((k: { id: string }) => k.id === created.body.id);
    expect(listed).toMatchObject({ name: 'ci deploys', role: 'operator', lastUsedAt: null, createdBy: { type: 'api_key', id: expect.any(String) } });
    expect(JSON.stringify(list.body)).not.toContain(created.body.key);
    expect(JSON.stringify(list.body)).not.toContain(rows[0].hash);
    expect(list.body.items.find((k: { name: string }) => k.name === 'bootstrap')).toMatchObject({ role: 'owner' });

    const me = await call(created.body.key, 'GET', '/v1/me');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ org: { id: gw.orgId, slug: 'default' }, role: 'operator', apiKey: { id: created.body.id, name: 'ci deploys' } });
    expect(me.body.user).toBeUndefined();
    expect(me.body.permissions).toContain('runs:write');
    expect(me.body.permissions).not.toContain('workflows:write');
    expect((await call(created.body.key, 'POST', '/v1/workflows', { name: 'x' })).status).toBe(403);
  });

  it('never mints a key with more rights than its creator, and says why', async () => {
    const admin = await mintKey(gw.url, gw.apiKey, 'admin');
    const refused = await call(admin, 'POST', '/v1/api-keys', { name: 'escalate', role: 'owner' });
    expect(refused.status).toBe(403);
    expect(refused.type).toContain('application/problem+json');
    expect(refused.body.detail).toContain('never holds more rights than its creator');
    expect((await call(admin, 'POST', '/v1/api-keys', { name: 'peer', role: 'admin' })).status).toBe(201);
    const editor = await mintKey(gw.url, admin, 'editor');
    expect((await call(editor, 'POST', '/v1/api-keys', { name: 'viewer', role: 'viewer' })).status).toBe(403);
    const { rows } = await gw.db.pool.query(`SELECT count(*)::int AS n FROM api_keys WHERE name = 'escalate'`);
    expect(rows[0].n).toBe(0);
  });

  it('refuses a bad role or a past expiry with 400 naming the field', async () => {
    const badRole = await call(gw.apiKey, 'POST', '/v1/api-keys', { name: 'x', role: 'superuser' });
    expect(badRole.status).toBe(400);
    expect(JSON.stringify(badRole.body.errors)).toContain('role');
    const past = await call(gw.apiKey, 'POST', '/v1/api-keys', { name: 'x', role: 'viewer', expiresAt: '2001-01-01T00:00:00Z' });
    expect(past.status).toBe(400);
    expect(past.body.errors[0].path).toBe('body.expiresAt');
  });

  it('stops accepting an expired key, and a key minted by an expiring key never outlives it', async () => {
    const soon = new Date(Date.now() + 3_600_000).toISOString();
    const expiring = await mintKey(gw.url, gw.apiKey, 'admin', { expiresAt: soon });
    const child = await call(expiring, 'POST', '/v1/api-keys', { name: 'child', role: 'viewer' });
    expect(child.body.expiresAt).toBe(soon);
    const later = await call(expiring, 'POST', '/v1/api-keys', { name: 'later', role: 'viewer', expiresAt: new Date(Date.now() + 7_200_000).toISOString() });
    expect(later.status).toBe(403);
    // Time passes (the row says so): a key never seen before is refused once its expiry is behind it.
    const old = await mintKey(gw.url, gw.apiKey, 'viewer', { expiresAt: soon });
    await gw.db.pool.query(`UPDATE api_keys SET expires_at = now() - interval '1 second' WHERE hash = $1`, [hashApiKey(old)]);
    expect((await call(old, 'GET', '/v1/workflows')).status).toBe(401);
  });

  it('revokes a key: 204, then it is refused at once, even though its verdict was cached', async () => {
    const key = await mintKey(gw.url, gw.apiKey, 'viewer');
    expect((await call(key, 'GET', '/v1/workflows')).status).toBe(200);
    const id = (await call(key, 'GET', '/v1/me')).body.apiKey.id;
    const revoked = await fetch(`${gw.url}/v1/api-keys/${id}`, { method: 'DELETE', headers: { authorization: `Bearer ${gw.apiKey}` } });
    expect(revoked.status).toBe(204);
    expect((await call(key, 'GET', '/v1/workflows')).status).toBe(401);
    expect((await call(gw.apiKey, 'DELETE', `/v1/api-keys/${id}`)).status).toBe(204);
    const listed = (await call(gw.apiKey, 'GET', '/v1/api-keys')).body.items.map((k: { id: string }) => k.id);
    expect(listed).not.toContain(id);
  });

  it("does not let an admin revoke the owner's key, nor anyone revoke another org's key", async () => {
    const admin = await mintKey(gw.url, gw.apiKey, 'admin');
    const ownerId = (await call(gw.apiKey, 'GET', '/v1/me')).body.apiKey.id;
    const refused = await call(admin, 'DELETE', `/v1/api-keys/${ownerId}`);
    expect(refused.status).toBe(403);
    expect((await call(gw.apiKey, 'GET', '/v1/me')).status).toBe(200);
    const otherOrg = crypto.randomUUID();
    const foreignKey = crypto.randomUUID();
    await gw.db.pool.query(`INSERT INTO orgs (id, slug, name) VALUES ($1, $2, 'Other')`, [otherOrg, `other-${otherOrg}`]);
    await gw.db.pool.query(`INSERT INTO api_keys (id, org_id, name, prefix, hash, role) VALUES ($1, $2, 'theirs', 'weft_', $3, 'viewer')`, [foreignKey, otherOrg, hashApiKey(`weft_${otherOrg}`)]);
    expect((await call(gw.apiKey, 'DELETE', `/v1/api-keys/${foreignKey}`)).status).toBe(404);
    const { rows } = await gw.db.pool.query('SELECT revoked_at FROM api_keys WHERE id = $1', [foreignKey]);
    expect(rows[0].revoked_at).toBeNull();
  });

  it('records when a key was last used with one write for a burst of requests, not one per request', async () => {
    const key = await mintKey(gw.url, gw.apiKey, 'viewer');
    const id = (await call(gw.apiKey, 'GET', '/v1/api-keys')).body.items[0].id;
    const before = gw.queries();
    for (let i = 0; i < 20; i++) expect((await call(key, 'GET', '/v1/catalog/nodes')).status).toBe(200);
    // One lookup of the key and one last-used write; a write per request would be 21 queries.
    expect(gw.queries() - before).toBeLessThanOrEqual(2);
    await vi.waitFor(async () => {
      const k = (await call(gw.apiKey, 'GET', '/v1/api-keys')).body.items.find((x: { id: string }) => x.id === id);
      expect(k.lastUsedAt).not.toBeNull();
    }, { timeout: 10_000, interval: 50 });
  });
});

describe('A revoked key stops working on every gateway process', () => {
  it('is refused by a second gateway that had it cached, without waiting for the cache to expire', async () => {
    const other = await startLoneGateway({ database: { url: gw.databaseUrl, drop: async () => undefined }, bootstrapKey: gw.apiKey, redis: gw.redis, app: { apiKeyCacheMs: 600_000 } });
    try {
      const key = await mintKey(gw.url, gw.apiKey, 'viewer');
      const id = (await callAs(other.url, key, 'GET', '/v1/me')).body.apiKey.id;
      expect((await callAs(other.url, key, 'GET', '/v1/workflows')).status).toBe(200);
      expect((await call(key, 'GET', '/v1/workflows')).status).toBe(200);
      expect((await call(gw.apiKey, 'DELETE', `/v1/api-keys/${id}`)).status).toBe(204);
      // The notice travels through Redis: wait for it (the cached verdict alone would last ten minutes).
      await vi.waitFor(async () => expect((await callAs(other.url, key, 'GET', '/v1/workflows')).status).toBe(401), { timeout: 10_000, interval: 20 });
      expect((await call(key, 'GET', '/v1/workflows')).status).toBe(401);
    } finally {
      await other.stop();
    }
  });
});
