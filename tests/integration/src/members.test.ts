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
const freshEmail = () => `member${++n}.${Date.now()}@example.com`;
const as = (s: TestSession, org?: string) => sessionCaller(gw.url, s, org);

describe('Orgs, members and invitations', () => {
  it('creates an org whose creator is owner, and lists it among the orgs of /v1/me', async () => {
    const s = await signInByMagicLink(gw.url, gw.db.pool, freshEmail());
    const r = await as(s).call('POST', '/v1/orgs', { name: 'Acme Robotics' });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ name: 'Acme Robotics', slug: 'acme-robotics', role: 'owner' });
    const again = await as(s).call('POST', '/v1/orgs', { name: 'Acme Robotics' });
    expect(again.body.slug).toMatch(/^acme-robotics-[0-9a-f]{6}$/);
    const me = await as(s, r.body.slug).call('GET', '/v1/me');
    expect(me.body).toMatchObject({ org: { id: r.body.id }, role: 'owner' });
    expect(me.body.orgs).toHaveLength(3);
    expect((await callAs(gw.url, gw.apiKey, 'POST', '/v1/orgs', { name: 'by key' })).status).toBe(400);
  });

  it('invites an email with a role: its first sign-in joins the org (no personal org) with that role and its restrictions', async () => {
    const email = freshEmail();
    const inv = await callAs(gw.url, gw.apiKey, 'POST', '/v1/invitations', { email: email.toUpperCase(), role: 'viewer' });
    expect(inv.status).toBe(201);
    expect(inv.body).toMatchObject({ email, role: 'viewer' });
    expect((await callAs(gw.url, gw.apiKey, 'GET', '/v1/invitations')).body.items.map((i: { id: string }) => i.id)).toContain(inv.body.id);
    const s = await signInByMagicLink(gw.url, gw.db.pool, email);
    const me = await as(s).call('GET', '/v1/me');
    expect(me.body).toMatchObject({ org: { id: gw.orgId }, role: 'viewer' });
    expect(me.body.orgs).toHaveLength(1);
    expect((await as(s).call('GET', '/v1/workflows')).status).toBe(200);
    expect((await as(s).call('POST', '/v1/workflows', { name: 'no' })).status).toBe(403);
    expect((await as(s).call('POST', '/v1/invitations', { email: freshEmail(), role: 'viewer' })).status).toBe(403);
    expect((await callAs(gw.url, gw.apiKey, 'GET', '/v1/invitations')).body.items.map((i: { id: string }) => i.id)).not.toContain(inv.body.id);
    const audit = await callAs(gw.url, gw.apiKey, 'GET', '/v1/audit-logs?action=invitation.accepted');
    expect(audit.body.items[0]).toMatchObject({ target: { id: inv.body.id } });
  });

  it('lets a signed-in user accept an invitation at once; nobody else can accept it (404)', async () => {
    const invitee = await signInByMagicLink(gw.url, gw.db.pool, freshEmail());
    const inviteeEmail = (await as(invitee).call('GET', '/v1/me')).body.user.email;
    const other = await signInByMagicLink(gw.url, gw.db.pool, freshEmail());
    const inv = await callAs(gw.url, gw.apiKey, 'POST', '/v1/invitations', { email: inviteeEmail, role: 'editor' });
    expect((await as(other).call('POST', `/v1/invitations/${inv.body.id}/accept`)).status).toBe(404);
    expect((await callAs(gw.url, gw.apiKey, 'POST', `/v1/invitations/${inv.body.id}/accept`)).status).toBe(404);
    const ok = await as(invitee).call('POST', `/v1/invitations/${inv.body.id}/accept`);
    expect(ok.body).toEqual({ orgId: gw.orgId, role: 'editor' });
    expect((await as(invitee, 'default').call('GET', '/v1/me')).body.role).toBe('editor');
    expect((await as(invitee).call('POST', `/v1/invitations/${inv.body.id}/accept`)).status).toBe(404);
  });

  it("changes a member's role and removes members, never beyond the caller's own rights, and takes effect on the next request", async () => {
    const owner = await signInByMagicLink(gw.url, gw.db.pool, freshEmail());
    const org = (await as(owner).call('POST', '/v1/orgs', { name: 'Team' })).body.slug;
    const adminEmail = freshEmail();
    const memberEmail = freshEmail();
    await as(owner, org).call('POST', '/v1/invitations', { email: adminEmail, role: 'admin' });
    await as(owner, org).call('POST', '/v1/invitations', { email: memberEmail, role: 'operator' });
    const admin = await signInByMagicLink(gw.url, gw.db.pool, adminEmail);
    const member = await signInByMagicLink(gw.url, gw.db.pool, memberEmail);
    const members = (await as(owner, org).call('GET', '/v1/members')).body.items as { userId: string; email: string; role: string }[];
    expect(members.map((m) => m.role)).toEqual(['owner', 'admin', 'operator']);
    const [ownerId, adminId, memberId] = members.map((m) => m.userId);
    // An admin cannot make anyone owner, nor touch the owner.
    expect((await as(admin, org).call('PATCH', `/v1/members/${memberId}`, { role: 'owner' })).status).toBe(403);
    expect((await as(admin, org).call('DELETE', `/v1/members/${ownerId}`)).status).toBe(403);
    expect((await as(admin, org).call('POST', '/v1/invitations', { email: freshEmail(), role: 'owner' })).status).toBe(403);
    // A role change applies to the member's very next request (the role is read per request).
    expect((await as(member, org).call('POST', '/v1/workflows', { name: 'x' })).status).toBe(403);
    const changed = await as(admin, org).call('PATCH', `/v1/members/${memberId}`, { role: 'editor' });
    expect(changed.body).toMatchObject({ userId: memberId, role: 'editor' });
    expect((await as(member, org).call('POST', '/v1/workflows', { name: 'x' })).status).toBe(201);
    expect((await as(admin, org).call('DELETE', `/v1/members/${memberId}`)).status).toBe(204);
    expect((await as(member, org).call('GET', '/v1/workflows')).status).toBe(403);
    expect((await as(owner, org).call('DELETE', `/v1/members/${adminId}`)).status).toBe(204);
    const audit = await as(owner, org).call('GET', '/v1/audit-logs?action=member.role_changed');
    expect(audit.body.items[0]).toMatchObject({ actor: { type: 'user' }, data: { from: 'operator', to: 'editor' } });
  });

  it('keeps the last owner: they cannot leave nor be demoted until another member is owner', async () => {
    const owner = await signInByMagicLink(gw.url, gw.db.pool, freshEmail());
    const org = (await as(owner).call('POST', '/v1/orgs', { name: 'Solo' })).body.slug;
    const ownerId = (await as(owner).call('GET', '/v1/me')).body.user.id;
    expect((await as(owner, org).call('DELETE', '/v1/me/membership')).status).toBe(409);
    expect((await as(owner, org).call('PATCH', `/v1/members/${ownerId}`, { role: 'admin' })).status).toBe(409);
    const heirEmail = freshEmail();
    await as(owner, org).call('POST', '/v1/invitations', { email: heirEmail, role: 'owner' });
    await signInByMagicLink(gw.url, gw.db.pool, heirEmail);
    expect((await as(owner, org).call('DELETE', '/v1/me/membership')).status).toBe(204);
    expect((await as(owner, org).call('GET', '/v1/me')).status).toBe(403);
  });

  it('refuses to invite someone who is already a member (409)', async () => {
    const email = freshEmail();
    await callAs(gw.url, gw.apiKey, 'POST', '/v1/invitations', { email, role: 'viewer' });
    await signInByMagicLink(gw.url, gw.db.pool, email);
    expect((await callAs(gw.url, gw.apiKey, 'POST', '/v1/invitations', { email, role: 'viewer' })).status).toBe(409);
  });
});
