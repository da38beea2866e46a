import { hashApiKey } from '@weft/gateway';
import { ROLES, roleCan, type Permission } from '@weft/workflow-schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callAs, mintKey } from './accounts-http';
import { startPlatform, type Platform } from './platform';
import { rawRequest } from './raw-http';

// Generated from the gateway's route table: every route, every role; every object route, another org.
let p: Platform;
const keys = new Map<string, string>();
let ids: { workflow: string; version: string; run: string; apiKey: string; schedule: string; member: string; invitation: string; webhook: string; delivery: string; template: string; connection: string; installation: string; alert: string };
beforeAll(async () => {
  p = await startPlatform({ workers: false });
  for (const role of ROLES) keys.set(role, await mintKey(p.url, p.apiKey, role));
  const wf = await p.client.createWorkflow({ name: 'mine', definition: { nodes: [{ id: 'trigger', type: 'trigger', config: {} }, { id: 'approve', type: 'wait_for_approval', config: { prompt: 'ok?' } }], edges: [{ source: 'trigger', target: 'approve' }] } });
  const version = await p.client.publishVersion(wf.id);
  const { runId } = await p.client.createRun({ workflowId: wf.id });
  await callAs(p.url, p.apiKey, 'POST', '/v1/secrets', { name: 'API_TOKEN', value: 'hunter2-hunter2' });
  const created = await callAs(p.url, p.apiKey, 'POST', '/v1/api-keys', { name: 'theirs to find', role: 'viewer' });
  const schedule = await p.client.createSchedule(wf.id, { cron: '0 9 * * *', timezone: 'UTC', enabled: false });
  const alert = await p.client.createAlert(wf.id, { name: 'matrix', condition: { type: 'failure' }, channel: { type: 'email', to: ['a@example.com'] } });
  const member = crypto.randomUUID();
  await p.db.pool.query(`INSERT INTO users (id, email) VALUES ($1, 'member@example.com')`, [member]);
  await p.db.pool.query(`INSERT INTO memberships (id, org_id, user_id, role) VALUES ($1, $2, $3, 'viewer')`, [crypto.randomUUID(), p.orgId, member]);
  const invitation = await callAs(p.url, p.apiKey, 'POST', '/v1/invitations', { email: 'invited@example.com', role: 'editor' });
  const webhook = await callAs(p.url, p.apiKey, 'POST', `/v1/workflows/${wf.id}/webhooks`, { verification: { scheme: 'none' } });
  // A delivery row to name (the ingress is another service; its row is what the gateway reads).
  const delivery = crypto.randomUUID();
  await p.db.pool.query(
    `INSERT INTO webhook_deliveries (id, org_id, webhook_id, status, verified, http_status, inputs) VALUES ($1, $2, $3, 'accepted', true, 202, '{}')`,
    [delivery, p.orgId, webhook.body.id],
  );
  const template = await callAs(p.url, p.apiKey, 'POST', '/v1/templates', { workflowVersionId: version.id, slug: 'matrix-template', name: 'Matrix', summary: 'A draft of org A' });
  const connection = await callAs(p.url, p.apiKey, 'POST', '/v1/connections', { provider: 'google', name: 'matrix-google', clientId: 'client-id', clientSecret: 'client-secret' });
  // An installation row of org A (installing needs a published template; the row is what the routes read).
  const installation = crypto.randomUUID();
  await p.db.pool.query(
    `INSERT INTO installations (id, org_id, template_id, template_version_id, workflow_id, credentials) VALUES ($1, $2, $3, $4, $5, '{}')`,
    [installation, p.orgId, template.body.id, template.body.versions[0].id, wf.id],
  );
  ids = { workflow: wf.id, version: version.id, run: runId, apiKey: created.body.id, schedule: schedule.id, member, invitation: invitation.body.id, webhook: webhook.body.id, delivery, template: template.body.id, connection: connection.body.id, installation, alert: alert.id };
});
afterAll(async () => {
  await p?.stop();
});

const UUID = '0b7c2f7e-8d1a-4c3e-9f00-3a5e2d1c4b6a';
const routes = () => p.app.accessTable.filter((r) => r.access !== 'public') as { method: string; url: string; access: { permission: Permission }; websocket: boolean }[];

/** A body each route accepts far enough to look its object up (so that only the org can refuse it). */
const BODIES: Record<string, unknown> = {
  'PUT /v1/workflows/:id/draft': { definition: { nodes: [], edges: [] } },
  'POST /v1/workflows/:id/versions': {},
  'PATCH /v1/workflows/:id': { name: 'renamed by another org' },
  'POST /v1/workflows/:id/rollback': { version: 1 },
  'POST /v1/runs/:id/resume': { nodeId: 'approve', decision: 'approve' },
  'POST /v1/runs/:id/retry': {},
  'POST /v1/runs/:id/rerun': {},
  'POST /v1/workflows/:id/runs/retry': {},
  'PUT /v1/secrets/:name': { value: 'another-value' },
  'POST /v1/workflows/:id/schedules': { cron: '0 9 * * *', timezone: 'UTC' },
  'PATCH /v1/schedules/:id': { enabled: true },
  'POST /v1/workflows/:id/alerts': { name: 'x', condition: { type: 'failure' }, channel: { type: 'email', to: ['a@example.com'] } },
  'PATCH /v1/alerts/:id': { enabled: false },
  'PATCH /v1/members/:userId': { role: 'operator' },
  'POST /v1/workflows/:id/webhooks': { verification: { scheme: 'none' } },
  'PATCH /v1/webhooks/:id': { enabled: true },
  'POST /v1/templates/:id/versions': { workflowVersionId: '0b7c2f7e-8d1a-4c3e-9f00-3a5e2d1c4b6a' },
  'POST /v1/templates/:id/moderation': { action: 'approve' },
  'DELETE /v1/orgs/:id': { confirm: 'not-the-slug' },
  'PATCH /v1/orgs/:id/settings': { retentionDays: 1 },
};

/** The id of org A's object that a route's parameter names, by the route's URL. */
function objectPath(url: string): string {
  const id = url.startsWith('/v1/workflows/') ? ids.workflow
    : url.startsWith('/v1/workflow-versions/') ? ids.version
      : url.startsWith('/v1/runs/') ? ids.run
        : url.startsWith('/v1/api-keys/') ? ids.apiKey
          : url.startsWith('/v1/schedules/') ? ids.schedule
            : url.startsWith('/v1/alerts/') ? ids.alert
            : url.startsWith('/v1/invitations/') ? ids.invitation
              : url.startsWith('/v1/webhooks/') ? ids.webhook
                : url.startsWith('/v1/webhook-deliveries/') ? ids.delivery
                  : url.startsWith('/v1/templates/') || url.startsWith('/v1/moderation/templates/') ? ids.template
                    : url.startsWith('/v1/connections/') ? ids.connection
                    : url.startsWith('/v1/installations/') ? ids.installation
                      : url.startsWith('/v1/orgs/') ? p.orgId
                      : undefined;
  // A route whose query is required: the object is looked up only once the query is valid.
  const query = url === '/v1/workflows/:id/versions/diff' ? '?from=1&to=draft' : '';
  return url.replace(/:(\w+)/g, (_, name: string) => {
    if (name === 'name' && url.startsWith('/v1/secrets/')) return 'API_TOKEN';
    if (name === 'id' && id) return id;
    if (name === 'userId' && url.startsWith('/v1/members/')) return ids.member;
    // A step of org A's run (the run is looked up first: another org's caller never reaches the step).
    if (name === 'stepId' && url.startsWith('/v1/runs/')) return '0190f1c4-0000-7000-8000-0000000000aa';
    throw new Error(`access-matrix.test.ts does not know which object ${url} names: add it to objectPath`);
  }) + query;
}

async function send(key: string, route: { method: string; url: string; websocket: boolean }, path: string, body?: unknown) {
  if (route.websocket) return (await rawRequest(p.url, route.method, path, { authorization: `Bearer ${key}` }, true)).status;
  return (await callAs(p.url, key, route.method, path, body ?? (route.method === 'POST' || route.method === 'PUT' ? {} : undefined))).status;
}

describe('Every route answers every role as the permission matrix says', () => {
  it('answers 403 exactly where the role lacks the route permission, and never 401 or a 5xx', async () => {
    const wrong: string[] = [];
    let calls = 0;
    for (const route of routes()) {
      // Unknown ids: an allowed call gets as far as 400/404/409, a refused one stops at 403.
      const path = route.url.replace(/:(\w+)/g, (_, name: string) => (name === 'name' ? 'NO_SUCH_SECRET' : UUID));
      for (const role of ROLES) {
        const status = await send(keys.get(role)!, route, path);
        calls++;
        const allowed = roleCan(role, route.access.permission);
        if (allowed ? status === 403 || status === 401 || status >= 500 : status !== 403) {
          wrong.push(`${role} ${route.method} ${route.url} (${route.access.permission}) → ${status}`);
        }
      }
    }
    expect(wrong).toEqual([]);
    expect(calls).toBe(routes().length * ROLES.length);
  });
});

describe("Another org's objects are invisible", () => {
  let theirs: string;
  beforeAll(async () => {
    const org = crypto.randomUUID();
    theirs = `weft_other_owner_${crypto.randomUUID()}`;
    await p.db.pool.query(`INSERT INTO orgs (id, slug, name) VALUES ($1, $2, 'Other org')`, [org, `other-${org}`]);
    await p.db.pool.query(`INSERT INTO api_keys (id, org_id, name, prefix, hash, role) VALUES ($1, $2, 'owner', 'weft_', $3, 'owner')`, [crypto.randomUUID(), org, hashApiKey(theirs)]);
  });

  it("answers 404 on every object route called with this org's ids by another org's owner", async () => {
    // Platform-admin routes name no org's object (every key gets 403 there, above).
    const objectRoutes = routes().filter((r) => r.url.includes(':') && r.access.permission !== 'platform:admin');
    expect(objectRoutes.length).toBeGreaterThan(15);
    const wrong: string[] = [];
    for (const route of objectRoutes) {
      const status = await send(theirs, route, objectPath(route.url), BODIES[`${route.method} ${route.url}`]);
      if (status !== 404) wrong.push(`${route.method} ${route.url} → ${status}`);
    }
    expect(wrong).toEqual([]);
    // Nothing changed on our side.
    expect((await callAs(p.url, p.apiKey, 'GET', '/v1/secrets/API_TOKEN')).status).toBe(200);
    expect((await callAs(p.url, p.apiKey, 'GET', `/v1/runs/${ids.run}`)).body.status).toBe('queued');
    expect((await callAs(p.url, p.apiKey, 'GET', '/v1/api-keys')).body.items.map((k: { id: string }) => k.id)).toContain(ids.apiKey);
    expect((await callAs(p.url, p.apiKey, 'GET', `/v1/schedules/${ids.schedule}`)).body).toMatchObject({ id: ids.schedule, enabled: false });
    expect((await callAs(p.url, p.apiKey, 'GET', '/v1/members')).body.items).toContainEqual(expect.objectContaining({ userId: ids.member, role: 'viewer' }));
    expect((await callAs(p.url, p.apiKey, 'GET', '/v1/invitations')).body.items.map((i: { id: string }) => i.id)).toContain(ids.invitation);
    expect((await callAs(p.url, p.apiKey, 'GET', `/v1/webhooks/${ids.webhook}`)).body).toMatchObject({ id: ids.webhook, enabled: true });
    expect((await callAs(p.url, p.apiKey, 'GET', `/v1/connections/${ids.connection}`)).body).toMatchObject({ id: ids.connection, status: 'pending' });
  });

  it("answers 404 to a run of another org's workflow, and lists none of this org's objects", async () => {
    expect((await callAs(p.url, theirs, 'POST', '/v1/runs', { workflowId: ids.workflow })).status).toBe(404);
    expect((await callAs(p.url, theirs, 'POST', '/v1/runs', { workflowVersionId: ids.version })).status).toBe(404);
    for (const list of ['/v1/workflows', '/v1/runs', '/v1/secrets', '/v1/api-keys', '/v1/audit-logs']) {
      const r = await callAs(p.url, theirs, 'GET', list);
      expect(r.status).toBe(200);
      const text = JSON.stringify(r.body);
      for (const id of [ids.workflow, ids.run, ids.apiKey, 'API_TOKEN']) expect(text).not.toContain(id);
    }
    expect((await callAs(p.url, theirs, 'GET', '/v1/me')).body.org.id).not.toBe(p.orgId);
  });
});
