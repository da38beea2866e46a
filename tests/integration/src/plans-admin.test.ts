import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callAs } from './accounts-http';
import { startLoneGateway, type LoneGateway } from './lone-gateway';
import { sessionCaller, signInByMagicLink } from './session-http';

const BOSS = 'plans-boss@example.com';
let gw: LoneGateway;
beforeAll(async () => {
  gw = await startLoneGateway({ app: { auth: { platformAdmins: new Set([BOSS]) } } });
});
afterAll(async () => {
  await gw?.stop();
});

/** A member of org "default" with `role` (invited, then signed in). */
async function member(email: string, role: string) {
  expect((await callAs(gw.url, gw.apiKey, 'POST', '/v1/invitations', { email, role })).status).toBe(201);
  return sessionCaller(gw.url, await signInByMagicLink(gw.url, gw.db.pool, email));
}

const team = { name: 'Team', runsPerMonth: 1000, stepSecondsPerMonth: 36_000, concurrentRuns: 5, prices: { run: 1000 } };

describe('Plans over the API (platform admins)', () => {
  it('refuses org owners, org admins and their keys with 403, before reading anything', async () => {
    const orgAdmin = await member('plans-org-admin@example.com', 'admin');
    for (const [method, url, body] of [
      ['GET', '/v1/admin/plans', undefined],
      ['PUT', '/v1/admin/plans/team', team],
      ['PUT', `/v1/admin/orgs/${gw.orgId}/plan`, { planId: 'default' }],
    ] as const) {
      expect((await callAs(gw.url, gw.apiKey, method, url, body)).status, `owner key ${method} ${url}`).toBe(403);
      expect((await orgAdmin.call(method, url, body)).status, `org admin ${method} ${url}`).toBe(403);
    }
    const { rows } = await gw.db.pool.query(`SELECT plan_id FROM orgs WHERE id = $1`, [gw.orgId]);
    expect(rows[0].plan_id).toBe('default');
  });

  it('lists plans, creates one, puts an org on it (audited there) and the org reads its quotas', async () => {
    const boss = await member(BOSS, 'viewer');
    const before = await boss.call('GET', '/v1/admin/plans');
    expect(before.status).toBe(200);
    expect(before.body.items.map((p: { id: string }) => p.id)).toContain('default');

    const created = await boss.call('PUT', '/v1/admin/plans/team', team);
    expect([created.status, created.body]).toEqual([200, { id: 'team', ...team }]);
    expect((await boss.call('GET', '/v1/admin/plans')).body.items).toContainEqual({ id: 'team', ...team });
    // PUT replaces: a quota set to null is unlimited again.
    expect((await boss.call('PUT', '/v1/admin/plans/team', { ...team, concurrentRuns: null })).body.concurrentRuns).toBeNull();

    const set = await boss.call('PUT', `/v1/admin/orgs/${gw.orgId}/plan`, { planId: 'team' });
    expect([set.status, set.body]).toEqual([200, { orgId: gw.orgId, planId: 'team' }]);
    const usage = await callAs(gw.url, gw.apiKey, 'GET', '/v1/usage?from=2026-12-01&to=2026-12-01');
    expect(usage.body.plan).toMatchObject({ id: 'team', name: 'Team', quotas: { runsPerMonth: { limit: 1000 }, concurrentRuns: { limit: null } } });
    const audit = await callAs(gw.url, gw.apiKey, 'GET', '/v1/audit-logs?action=org.plan_changed');
    expect(audit.body.items[0]).toMatchObject({ action: 'org.plan_changed', actor: { type: 'user' }, target: { type: 'org', id: gw.orgId }, data: { planId: { from: 'default', to: 'team' } } });
    expect((await boss.call('PUT', `/v1/admin/orgs/${gw.orgId}/plan`, { planId: 'default' })).status).toBe(200);
  });

  it('answers bad input with 400 naming the path, an unknown plan at body.planId, an unknown org with 404', async () => {
    const boss = sessionCaller(gw.url, await signInByMagicLink(gw.url, gw.db.pool, BOSS));
    const badId = await boss.call('PUT', '/v1/admin/plans/Not%20An%20Id', team);
    expect([badId.status, badId.body.errors?.[0]?.path]).toEqual([400, 'params.planId']);
    const badQuota = await boss.call('PUT', '/v1/admin/plans/team', { ...team, runsPerMonth: -1 });
    expect([badQuota.status, badQuota.body.errors?.[0]?.path]).toEqual([400, 'body.runsPerMonth']);
    expect((await boss.call('PUT', '/v1/admin/plans/team', { ...team, extra: 1 })).status).toBe(400);
    const unknownPlan = await boss.call('PUT', `/v1/admin/orgs/${gw.orgId}/plan`, { planId: 'no-such-plan' });
    expect([unknownPlan.status, unknownPlan.body.errors?.[0]?.path]).toEqual([400, 'body.planId']);
    const unknownOrg = await boss.call('PUT', '/v1/admin/orgs/00000000-0000-4000-8000-000000000000/plan', { planId: 'default' });
    expect(unknownOrg.status).toBe(404);
  });
});
