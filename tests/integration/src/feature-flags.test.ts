import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callAs } from './accounts-http';
import { startLoneGateway, type LoneGateway } from './lone-gateway';
import { sessionCaller, signInByMagicLink } from './session-http';

const BOSS = 'flags-boss@example.com';
let gw: LoneGateway;
beforeAll(async () => {
  gw = await startLoneGateway({ app: { auth: { platformAdmins: new Set([BOSS]) } } });
});
afterAll(async () => {
  await gw?.stop();
});

/** A viewer of org "default" (invited, then signed in). */
async function viewer(email: string) {
  expect((await callAs(gw.url, gw.apiKey, 'POST', '/v1/invitations', { email, role: 'viewer' })).status).toBe(201);
  return sessionCaller(gw.url, await signInByMagicLink(gw.url, gw.db.pool, email));
}

describe('Feature flags over the API', () => {
  it('lets every caller read its org\'s flags, and only a signed-in platform admin set them', async () => {
    const mine = await callAs(gw.url, gw.apiKey, 'GET', '/v1/feature-flags');
    expect(mine.status).toBe(200);
    expect(mine.body.items).toEqual([expect.objectContaining({ key: 'iteration-successors', enabled: true, source: 'code' })]);

    const plain = await viewer('flags-plain@example.com');
    const boss = await viewer(BOSS);
    // An owner key of the org is not a platform admin; neither is a member who is not one.
    expect((await callAs(gw.url, gw.apiKey, 'PUT', `/v1/admin/orgs/${gw.orgId}/feature-flags/iteration-successors`, { enabled: false })).status).toBe(403);
    expect((await plain.call('GET', '/v1/admin/feature-flags')).status).toBe(403);

    const set = await boss.call('PUT', `/v1/admin/orgs/${gw.orgId}/feature-flags/iteration-successors`, { enabled: false });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ key: 'iteration-successors', enabled: false, source: 'org' });
    expect((await callAs(gw.url, gw.apiKey, 'GET', '/v1/feature-flags')).body.items[0]).toMatchObject({ enabled: false, source: 'org' });
    const overview = await boss.call('GET', '/v1/admin/feature-flags');
    expect(overview.body.items[0]).toMatchObject({ key: 'iteration-successors', enabled: true, source: 'code', orgs: [{ orgId: gw.orgId, enabled: false }] });

    // Audited in the org whose flag changed.
    const audit = await callAs(gw.url, gw.apiKey, 'GET', '/v1/audit-logs?action=feature_flag.updated');
    expect(audit.body.items[0]).toMatchObject({ action: 'feature_flag.updated', actor: { type: 'user' }, data: { key: 'iteration-successors', enabled: false } });

    // A default for every org; null returns the org to it.
    expect((await boss.call('PUT', '/v1/admin/feature-flags/iteration-successors', { enabled: false })).body).toMatchObject({ enabled: false, source: 'default' });
    expect((await boss.call('PUT', `/v1/admin/orgs/${gw.orgId}/feature-flags/iteration-successors`, { enabled: null })).body).toMatchObject({ enabled: false, source: 'default' });
    expect((await boss.call('PUT', '/v1/admin/feature-flags/iteration-successors', { enabled: null })).body).toMatchObject({ enabled: true, source: 'code' });
  });

  it('answers bad input with 400 naming the field, and an unknown org with 404', async () => {
    const admin = sessionCaller(gw.url, await signInByMagicLink(gw.url, gw.db.pool, BOSS));
    const unknown = await admin.call('PUT', '/v1/admin/feature-flags/no-such-flag', { enabled: true });
    expect(unknown.status).toBe(400);
    expect(JSON.stringify(unknown.body)).toContain('key');
    const notBool = await admin.call('PUT', '/v1/admin/feature-flags/iteration-successors', { enabled: 'yes' });
    expect(notBool.status).toBe(400);
    expect(JSON.stringify(notBool.body)).toContain('enabled');
    expect((await admin.call('PUT', '/v1/admin/feature-flags/iteration-successors', { enabled: true, extra: 1 })).status).toBe(400);
    const missing = await admin.call('PUT', '/v1/admin/orgs/00000000-0000-4000-8000-000000000000/feature-flags/iteration-successors', { enabled: true });
    expect(missing.status).toBe(404);
  });
});
