import { syncPlatformAdmins } from '@weft/gateway';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callAs } from './accounts-http';
import { startLoneGateway, type LoneGateway } from './lone-gateway';
import { sessionCaller, signInByMagicLink, type TestSession } from './session-http';

// WEFT_PLATFORM_ADMINS as the gateway gets it (server.ts parses the variable into this set).
const BOSS = 'boss@example.com';
let gw: LoneGateway;
beforeAll(async () => {
  gw = await startLoneGateway({ app: { auth: { platformAdmins: new Set([BOSS]) }, platformOrg: 'no-such-org' } });
});
afterAll(async () => {
  await gw?.stop();
});

const as = (s: TestSession) => sessionCaller(gw.url, s);

/** A viewer of org "default" (invited, then signed in: the first sign-in joins it, no personal org). */
async function viewer(email: string) {
  expect((await callAs(gw.url, gw.apiKey, 'POST', '/v1/invitations', { email, role: 'viewer' })).status).toBe(201);
  return signInByMagicLink(gw.url, gw.db.pool, email);
}

/** A template of org "default", submitted for review. */
async function pendingTemplate(slug: string) {
  const wf = await callAs(gw.url, gw.apiKey, 'POST', '/v1/workflows', { name: 'shared', definition: { nodes: [{ id: 'trigger', type: 'trigger', config: {} }], edges: [] } });
  const version = await callAs(gw.url, gw.apiKey, 'POST', `/v1/workflows/${wf.body.id}/versions`, {});
  const t = await callAs(gw.url, gw.apiKey, 'POST', '/v1/templates', { workflowVersionId: version.body.id, slug, name: 'Shared', summary: 'A template to review' });
  expect(t.status).toBe(201);
  expect((await callAs(gw.url, gw.apiKey, 'POST', `/v1/templates/${t.body.id}/submit`)).status).toBe(200);
  return t.body.id as string;
}

describe('Platform admins', () => {
  it('moderate templates whatever their org role (a viewer here), while a viewer who is not one gets 403, and an owner key of a non-platform org too', async () => {
    const boss = await viewer(BOSS);
    const plain = await viewer('plain@example.com');
    expect((await as(boss).call('GET', '/v1/me')).body).toMatchObject({ role: 'viewer', user: { email: BOSS, platformAdmin: true } });
    expect((await as(plain).call('GET', '/v1/me')).body.user.platformAdmin).toBe(false);
    const id = await pendingTemplate('reviewed-by-boss');

    expect((await as(plain).call('GET', '/v1/moderation/templates')).status).toBe(403);
    expect((await as(plain).call('POST', `/v1/templates/${id}/moderation`, { action: 'approve' })).status).toBe(403);
    // The platform org here is one that does not exist: the bootstrap owner key is no moderator.
    expect((await callAs(gw.url, gw.apiKey, 'POST', `/v1/templates/${id}/moderation`, { action: 'approve' })).status).toBe(403);

    const queue = await as(boss).call('GET', '/v1/moderation/templates');
    expect(queue.status).toBe(200);
    expect(queue.body.items.map((t: { id: string }) => t.id)).toContain(id);
    expect((await as(boss).call('POST', `/v1/templates/${id}/moderation`, { action: 'approve' })).body.status).toBe('approved');
    // Org roles are untouched: the platform admin is still a viewer in the org.
    expect((await as(boss).call('POST', '/v1/workflows', { name: 'no' })).status).toBe(403);
  });

  it('follow the list: taken off it at startup, the flag is gone from the next request', async () => {
    const boss = await signInByMagicLink(gw.url, gw.db.pool, BOSS);
    const id = await pendingTemplate('reviewed-after-removal');
    expect(await syncPlatformAdmins(gw.db.pool, new Set(['someone-else@example.com']))).toBe(1);
    expect((await as(boss).call('GET', '/v1/me')).body.user.platformAdmin).toBe(false);
    expect((await as(boss).call('POST', `/v1/templates/${id}/moderation`, { action: 'approve' })).status).toBe(403);
    // Signing in again re-applies the list the gateway was started with.
    const again = await signInByMagicLink(gw.url, gw.db.pool, BOSS, boss);
    expect((await as(again).call('POST', `/v1/templates/${id}/moderation`, { action: 'approve' })).body.status).toBe('approved');
  });
});
