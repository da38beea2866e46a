import { startEchoServer, type EchoServer } from '@weft/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callAs } from './accounts-http';
import { startPlatform, type Platform } from './platform';
import { callWithSession, signInByMagicLink, type TestSession } from './session-http';

/** Every action issue 14 says the audit log records, with the entry that records it. */
const AUDITED = {
  'sign-in': 'user.signed_in',
  'key create': 'api_key.created',
  'key revoke': 'api_key.revoked',
  'role change': 'member.role_changed',
  'invitation sent': 'invitation.created',
  'invitation withdrawn': 'invitation.revoked',
  'invitation accepted': 'invitation.accepted',
  'secret create': 'secret.created',
  'secret update': 'secret.updated',
  'secret delete': 'secret.deleted',
  'secret use': 'secret.used',
  publish: 'workflow.version_published',
  'run cancel': 'run.cancel_requested',
  'run approve': 'run.approved',
  'org deletion': 'org.deleted',
} as const;

let p: Platform;
let echo: EchoServer;
beforeAll(async () => {
  [p, echo] = await Promise.all([startPlatform(), startEchoServer()]);
});
afterAll(async () => {
  await p?.stop();
  await echo?.close();
});

const key = (method: string, url: string, body?: unknown) => callAs(p.url, p.apiKey, method, url, body);
const as = (s: TestSession) => (method: string, url: string, body?: unknown) => callWithSession(p.url, s, method, url, body);
interface Entry { id: string; action: string; actor: { type: string; id: string | null }; target: { type: string; id: string | null }; at: string; data: Record<string, unknown> }

/** Every entry of the org's log, read through cursor pages of `limit`. */
async function allPages(query: string, limit: number): Promise<Entry[]> {
  const out: Entry[] = [];
  let cursor: string | null = null;
  do {
    const r = await key('GET', `/v1/audit-logs?limit=${limit}${query}${cursor ? `&cursor=${cursor}` : ''}`);
    expect(r.status).toBe(200);
    out.push(...r.body.items);
    cursor = r.body.nextCursor;
  } while (cursor);
  return out;
}

/** Polls a run (as the key, or as a session of another org) until its status is one of `statuses`. */
async function until(runId: string, statuses: string[], s?: TestSession) {
  for (let i = 0; i < 600; i++) {
    const run = (s ? await as(s)('GET', `/v1/runs/${runId}`) : await key('GET', `/v1/runs/${runId}`)).body;
    if (statuses.includes(run.status)) return run;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`run ${runId} never reached ${statuses.join('/')}`);
}

const WHO = { id: 'who', type: 'function', config: { name: 'whoami', args: {} } };

describe('The audit log records every action the issue lists', () => {
  it('has an entry for each, filterable by action, actor and time, in cursor pages; functions see the run starter as ctx.userId', async () => {
    const startedAt = new Date().toISOString();
    // Invitations: one accepted at sign-in, one withdrawn.
    const alice = 'alice.audit@example.com';
    expect((await key('POST', '/v1/invitations', { email: alice, role: 'editor' })).status).toBe(201);
    const withdrawn = await key('POST', '/v1/invitations', { email: 'bob.audit@example.com', role: 'viewer' });
    expect((await key('DELETE', `/v1/invitations/${withdrawn.body.id}`)).status).toBe(204);
    const session = await signInByMagicLink(p.url, p.db.pool, alice);
    const aliceId = (await as(session)('GET', '/v1/me')).body.user.id as string;
    expect((await key('PATCH', `/v1/members/${aliceId}`, { role: 'operator' })).status).toBe(200);

    // Keys and secrets.
    const k = await key('POST', '/v1/api-keys', { name: 'short-lived', role: 'viewer' });
    expect((await key('DELETE', `/v1/api-keys/${k.body.id}`)).status).toBe(204);
    expect((await key('POST', '/v1/secrets', { name: 'ECHO_TOKEN', value: 'first-value-1' })).status).toBe(201);
    expect((await key('PUT', '/v1/secrets/ECHO_TOKEN', { value: 'second-value-2' })).status).toBe(200);
    expect((await key('POST', '/v1/secrets', { name: 'GONE', value: 'gone-value-3' })).status).toBe(201);
    expect((await key('DELETE', '/v1/secrets/GONE')).status).toBe(204);

    // A workflow that uses the secret, calls a function and waits for approval; published by the key.
    const wf = await p.client.createWorkflow({
      name: 'audited',
      definition: {
        nodes: [
          { id: 'trigger', type: 'trigger', config: {} },
          { id: 'call', type: 'http_request', config: { method: 'POST', url: `${echo.url}/hook`, headers: { authorization: 'Bearer {{ secrets.ECHO_TOKEN }}' } } },
          WHO,
          { id: 'approve', type: 'wait_for_approval', config: { prompt: 'ok?' } },
        ],
        edges: [{ source: 'trigger', target: 'call' }, { source: 'call', target: 'who' }, { source: 'who', target: 'approve' }],
      },
    });
    await p.client.publishVersion(wf.id);

    // Alice (operator, signed in) starts a run and approves it; the function saw her as the user.
    const mine = await as(session)('POST', '/v1/runs', { workflowId: wf.id });
    expect(mine.status).toBe(202);
    await until(mine.body.runId, ['waiting']);
    expect((await as(session)('POST', `/v1/runs/${mine.body.runId}/resume`, { nodeId: 'approve', decision: 'approve' })).status).toBe(202);
    const done = await until(mine.body.runId, ['succeeded', 'failed']);
    expect(done.status).toBe('succeeded');
    expect(done.steps.find((s: { nodeId: string }) => s.nodeId === 'who').output).toEqual({ orgId: p.orgId, userId: aliceId });

    // A key's run: no user; cancelled.
    const { runId: keyRun } = await p.client.createRun({ workflowId: wf.id });
    const waiting = await until(keyRun, ['waiting']);
    expect(waiting.steps.find((s: { nodeId: string }) => s.nodeId === 'who').output).toEqual({ orgId: p.orgId, userId: null });
    expect((await key('POST', `/v1/runs/${keyRun}/cancel`)).status).toBe(202);

    // Org deletion: by an owner of another org (the entry is in that org's log, which nobody can read any more).
    const owner = await signInByMagicLink(p.url, p.db.pool, 'owner.audit@example.com');
    const doomed = (await as(owner)('POST', '/v1/orgs', { name: 'Short lived' })).body;
    expect((await callWithSession(p.url, owner, 'DELETE', `/v1/orgs/${doomed.id}`, { confirm: doomed.slug }, { headers: { 'weft-org': doomed.slug } })).status).toBe(200);
    const { rows: deletion } = await p.db.pool.query(`SELECT actor_type, action, target_id FROM audit_logs WHERE org_id = $1 AND action = 'org.deleted'`, [doomed.id]);
    expect(deletion).toEqual([{ actor_type: 'user', action: 'org.deleted', target_id: doomed.id }]);

    // Every other action, read through the API with its action filter.
    const missing: string[] = [];
    for (const [what, action] of Object.entries(AUDITED)) {
      if (action === 'org.deleted') continue;
      const r = await key('GET', `/v1/audit-logs?action=${action}`);
      if (!r.body.items.length) missing.push(`${what} (${action})`);
    }
    expect(missing).toEqual([]);
    expect((await key('GET', `/v1/audit-logs?action=secret.used&actor=${mine.body.runId}`)).body.items[0]).toMatchObject({ actor: { type: 'run', id: mine.body.runId }, data: { name: 'ECHO_TOKEN', nodeId: 'call' } });

    // The actor filter: Alice's own entries only (sign-in, acceptance, her run's start is not an audited action, her approval).
    const hers = await allPages(`&actor=${aliceId}`, 2);
    expect(new Set(hers.map((e) => e.action))).toEqual(new Set(['user.signed_in', 'invitation.accepted', 'run.approved']));
    // Cursor pages of 3 give the same entries, newest first, as one page; the time filter keeps only this test's.
    const paged = await allPages(`&from=${encodeURIComponent(startedAt)}`, 3);
    const whole = (await key('GET', `/v1/audit-logs?limit=200&from=${encodeURIComponent(startedAt)}`)).body.items as Entry[];
    expect(paged.map((e) => e.id)).toEqual(whole.map((e) => e.id));
    expect(paged.every((e) => e.at >= startedAt)).toBe(true);
    expect((await key('GET', `/v1/audit-logs?to=${encodeURIComponent(startedAt)}&action=run.approved`)).body.items).toEqual([]);
    // No value of a secret, nor a key, anywhere in the log.
    const text = JSON.stringify(whole);
    for (const value of ['first-value-1', 'second-value-2', 'gone-value-3', k.body.key]) expect(text).not.toContain(value);
  });

  it("gives for_each bodies and sub-workflows the starting user's id", async () => {
    const session = await signInByMagicLink(p.url, p.db.pool, 'carol.audit@example.com');
    const carol = (await as(session)('GET', '/v1/me')).body;
    const child = (await as(session)('POST', '/v1/workflows', { name: 'child', definition: { nodes: [{ id: 'trigger', type: 'trigger', config: {} }, WHO], edges: [{ source: 'trigger', target: 'who' }], settings: { output: 'steps.who.output' } } })).body;
    expect((await as(session)('POST', `/v1/workflows/${child.id}/versions`, {})).status).toBe(201);
    const parent = await as(session)('POST', '/v1/workflows', {
      name: 'parent',
      definition: {
        nodes: [
          { id: 'trigger', type: 'trigger', config: {} },
          { id: 'loop', type: 'for_each', config: { items: '[`1`]', body: { nodes: [{ id: 'start', type: 'trigger', config: {} }, WHO], edges: [{ source: 'start', target: 'who' }] } } },
          { id: 'sub', type: 'sub_workflow', config: { workflowId: child.id, input: {} } },
        ],
        edges: [{ source: 'trigger', target: 'loop' }, { source: 'trigger', target: 'sub' }],
      },
    });
    expect(parent.status).toBe(201);
    expect((await as(session)('POST', `/v1/workflows/${parent.body.id}/versions`, {})).status).toBe(201);
    const run = await as(session)('POST', '/v1/runs', { workflowId: parent.body.id });
    const done = await until(run.body.runId, ['succeeded', 'failed'], session);
    expect(done.status).toBe('succeeded');
    const who = { orgId: carol.org.id, userId: carol.user.id };
    expect(done.steps.find((s: { nodeId: string }) => s.nodeId === 'sub').output).toEqual(who);
    expect(JSON.stringify(done.steps.find((s: { nodeId: string }) => s.nodeId === 'loop').output)).toContain(carol.user.id);
  });
});
