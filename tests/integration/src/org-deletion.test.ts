import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callAs } from './accounts-http';
import { startLoneGateway, type LoneGateway } from './lone-gateway';
import { sessionCaller, signInByMagicLink, type TestSession } from './session-http';

let gw: LoneGateway;
beforeAll(async () => {
  gw = await startLoneGateway();
});
afterAll(async () => {
  await gw?.stop();
});

let n = 0;
const freshEmail = () => `deleter${++n}.${Date.now()}@example.com`;
const as = (s: TestSession, org?: string) => sessionCaller(gw.url, s, org);

/** A signed-in owner of a new org, with an admin member, a key, a secret and a live run in it. */
async function populatedOrg() {
  const owner = await signInByMagicLink(gw.url, gw.db.pool, freshEmail());
  const org = (await as(owner).call('POST', '/v1/orgs', { name: `Doomed ${n}` })).body as { id: string; slug: string };
  const adminEmail = freshEmail();
  expect((await as(owner, org.slug).call('POST', '/v1/invitations', { email: adminEmail, role: 'admin' })).status).toBe(201);
  const admin = await signInByMagicLink(gw.url, gw.db.pool, adminEmail);
  const key = (await as(owner, org.slug).call('POST', '/v1/api-keys', { name: 'ci', role: 'editor' })).body.key as string;
  // A secret's rows as the secrets service writes them (this gateway runs without a keyring).
  const secret = crypto.randomUUID();
  await gw.db.pool.query(`INSERT INTO secrets (id, org_id, name, current_version) VALUES ($1, $2, 'TOKEN', 1)`, [secret, org.id]);
  await gw.db.pool.query(
    `INSERT INTO secret_versions (id, org_id, secret_id, version, ciphertext, nonce, wrapped_key, kek_id) VALUES ($1, $2, $3, 1, '\\x00', '\\x00', '\\x00', 'k1')`,
    [crypto.randomUUID(), org.id, secret],
  );
  const wf = await callAs(gw.url, key, 'POST', '/v1/workflows', {
    name: 'waits',
    definition: { nodes: [{ id: 'trigger', type: 'trigger', config: {} }, { id: 'ok', type: 'wait_for_approval', config: { prompt: 'ok?' } }], edges: [{ source: 'trigger', target: 'ok' }] },
  });
  expect((await callAs(gw.url, key, 'POST', `/v1/workflows/${wf.body.id}/versions`, {})).status).toBe(201);
  const run = await callAs(gw.url, key, 'POST', '/v1/runs', { workflowId: wf.body.id });
  expect(run.status).toBe(202);
  const pending = freshEmail();
  expect((await as(owner, org.slug).call('POST', '/v1/invitations', { email: pending, role: 'viewer' })).status).toBe(201);
  return { owner, admin, org, key, runId: run.body.runId as string, pending };
}

describe('Deleting an org', () => {
  it('is refused to an admin (403) and without the org slug as confirmation (400 naming body.confirm)', async () => {
    const { owner, admin, org, key } = await populatedOrg();
    expect((await as(admin, org.slug).call('DELETE', `/v1/orgs/${org.id}`, { confirm: org.slug })).status).toBe(403);
    expect((await callAs(gw.url, key, 'DELETE', `/v1/orgs/${org.id}`, { confirm: org.slug })).status).toBe(403);
    const wrong = await as(owner, org.slug).call('DELETE', `/v1/orgs/${org.id}`, { confirm: 'something-else' });
    expect(wrong.status).toBe(400);
    expect(wrong.body.errors).toEqual([expect.objectContaining({ path: 'body.confirm' })]);
    expect((await callAs(gw.url, key, 'GET', '/v1/workflows')).status).toBe(200);
  });

  it("answers 404 for another org's id, and refuses the bootstrap org (409)", async () => {
    const { owner, org } = await populatedOrg();
    expect((await as(owner, org.slug).call('DELETE', `/v1/orgs/${gw.orgId}`, { confirm: 'default' })).status).toBe(404);
    expect((await callAs(gw.url, gw.apiKey, 'DELETE', `/v1/orgs/${gw.orgId}`, { confirm: 'default' })).status).toBe(409);
  });

  it("by its owner: keys and memberships stop at once, secrets are destroyed, live runs cancel, invitations die, and it is audited", async () => {
    const { owner, admin, org, key, runId, pending } = await populatedOrg();
    const r = await as(owner, org.slug).call('DELETE', `/v1/orgs/${org.id}`, { confirm: org.slug });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ id: org.id, slug: org.slug, keysRevoked: 1, membersRemoved: 2, runsCancelled: 1, secretsDestroyed: 1 });

    expect((await callAs(gw.url, key, 'GET', '/v1/workflows')).status).toBe(401);
    expect((await as(owner, org.slug).call('GET', '/v1/workflows')).status).toBe(403);
    expect((await as(admin, org.slug).call('GET', '/v1/workflows')).status).toBe(403);
    // The owner's other orgs are untouched: the personal org still answers, and the deleted one is gone from /v1/me.
    const me = await as(owner).call('GET', '/v1/me');
    expect(me.status).toBe(200);
    expect(me.body.orgs.map((o: { id: string }) => o.id)).not.toContain(org.id);

    const { rows: versions } = await gw.db.pool.query('SELECT 1 FROM secret_versions WHERE org_id = $1', [org.id]);
    expect(versions).toEqual([]);
    const { rows: runs } = await gw.db.pool.query('SELECT cancel_requested_at IS NOT NULL AS asked FROM runs WHERE id = $1', [runId]);
    expect(runs).toEqual([{ asked: true }]);
    const { rows: invites } = await gw.db.pool.query('SELECT revoked_at IS NOT NULL AS revoked FROM invitations WHERE org_id = $1 AND email = $2', [org.id, pending]);
    expect(invites).toEqual([{ revoked: true }]);
    const { rows: audit } = await gw.db.pool.query(`SELECT actor_type, action FROM audit_logs WHERE org_id = $1 AND action = 'org.deleted'`, [org.id]);
    expect(audit).toEqual([{ actor_type: 'user', action: 'org.deleted' }]);

    // The invited email's sign-in joins nothing of the deleted org.
    const late = await signInByMagicLink(gw.url, gw.db.pool, pending);
    expect((await as(late).call('GET', '/v1/me')).body.org.id).not.toBe(org.id);
    // Deleting again: the org is not there any more for anybody.
    expect((await as(owner, org.slug).call('DELETE', `/v1/orgs/${org.id}`, { confirm: org.slug })).status).toBe(403);
  });
});
