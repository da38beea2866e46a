import { newId } from '@weft/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callAs, mintKey } from './accounts-http';
import { startLoneGateway, type LoneGateway } from './lone-gateway';
import { callWithSession, signInByMagicLink, type TestSession } from './session-http';

let gw: LoneGateway;
beforeAll(async () => {
  gw = await startLoneGateway();
});
afterAll(async () => {
  await gw?.stop();
});

const approval = (assignees?: unknown) => ({
  nodes: [{ id: 'trigger', type: 'trigger', config: {} }, { id: 'approve', type: 'wait_for_approval', config: { prompt: 'ship it?', ...(assignees ? { assignees } : {}) } }],
  edges: [{ source: 'trigger', target: 'approve' }],
});

/** A run of a published workflow, left waiting on its approval step (rows as the orchestrator writes them; no workers here). */
async function waitingRun(definition: unknown): Promise<string> {
  const wf = await callAs(gw.url, gw.apiKey, 'POST', '/v1/workflows', { name: 'assigned', definition });
  expect((await callAs(gw.url, gw.apiKey, 'POST', `/v1/workflows/${wf.body.id}/versions`, {})).status).toBe(201);
  const { body } = await callAs(gw.url, gw.apiKey, 'POST', '/v1/runs', { workflowId: wf.body.id });
  await gw.db.pool.query(`INSERT INTO run_steps (id, org_id, run_id, node_id, node_type, attempt, status) VALUES ($1, $2, $3, 'approve', 'wait_for_approval', 1, 'waiting')`, [newId(), gw.orgId, body.runId]);
  await gw.db.pool.query(`UPDATE runs SET status = 'waiting' WHERE id = $1`, [body.runId]);
  return body.runId as string;
}

/** A member of org "default" with `role`, signed in. */
async function member(email: string, role: string): Promise<TestSession> {
  expect((await callAs(gw.url, gw.apiKey, 'POST', '/v1/invitations', { email, role })).status).toBe(201);
  return signInByMagicLink(gw.url, gw.db.pool, email);
}

const decide = (s: TestSession, runId: string) => callWithSession(gw.url, s, 'POST', `/v1/runs/${runId}/resume`, { nodeId: 'approve', decision: 'approve' });

describe('Approvals assigned to a role or to people', () => {
  it('refuses a definition whose assignees name nobody, or an unknown role (400 naming the node)', async () => {
    for (const assignees of [{}, { role: 'boss' }, { emails: ['not an email'] }]) {
      const r = await callAs(gw.url, gw.apiKey, 'POST', '/v1/workflows/validate', { definition: approval(assignees) });
      expect(r.body.valid).toBe(false);
      expect(r.body.errors[0]).toMatchObject({ nodeId: 'approve' });
    }
  });

  it('lets only the named emails decide: another operator gets 403 and the step still waits', async () => {
    const ann = await member('ann.approver@example.com', 'operator');
    const other = await member('other.operator@example.com', 'operator');
    const runId = await waitingRun(approval({ emails: ['Ann.Approver@example.com'] }));
    const refused = await decide(other, runId);
    expect(refused.status).toBe(403);
    expect(refused.body.detail).toContain('assigned');
    // A key has no email: even the owner key is not one of the named people.
    expect((await callAs(gw.url, gw.apiKey, 'POST', `/v1/runs/${runId}/resume`, { nodeId: 'approve', decision: 'approve' })).status).toBe(403);
    expect((await callAs(gw.url, gw.apiKey, 'GET', `/v1/runs/${runId}`)).body.status).toBe('waiting');
    expect((await decide(ann, runId)).status).toBe(202);
  });

  it('lets a role, or a role above it, decide (keys included), and nobody below it', async () => {
    const operator = await member('plain.operator@example.com', 'operator');
    const runId = await waitingRun(approval({ role: 'admin' }));
    expect((await decide(operator, runId)).status).toBe(403);
    expect((await callAs(gw.url, await mintKey(gw.url, gw.apiKey, 'editor'), 'POST', `/v1/runs/${runId}/resume`, { nodeId: 'approve', decision: 'reject' })).status).toBe(403);
    expect((await callAs(gw.url, await mintKey(gw.url, gw.apiKey, 'admin'), 'POST', `/v1/runs/${runId}/resume`, { nodeId: 'approve', decision: 'approve' })).status).toBe(202);
  });

  it('leaves an approval without assignees to anyone with runs:write, and answers 404 for another org', async () => {
    const operator = await member('any.operator@example.com', 'operator');
    const runId = await waitingRun(approval());
    const stranger = await signInByMagicLink(gw.url, gw.db.pool, 'stranger@example.com');
    expect((await decide(stranger, runId)).status).toBe(404);
    expect((await decide(operator, runId)).status).toBe(202);
  });
});
