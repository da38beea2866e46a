import { newId } from '@weft/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callAs } from './accounts-http';
import { startLoneGateway, type LoneGateway } from './lone-gateway';
import { callWithSession, signInByMagicLink } from './session-http';

let gw: LoneGateway;
beforeAll(async () => {
  gw = await startLoneGateway();
});
afterAll(async () => {
  await gw?.stop();
});

const definition = {
  nodes: [
    { id: 'trigger', type: 'trigger', config: {} },
    { id: 'approve', type: 'wait_for_approval', config: { prompt: 'ship it?' } },
    { id: 'pause', type: 'delay', config: { durationMs: 60000 } },
  ],
  edges: [{ source: 'trigger', target: 'approve' }, { source: 'trigger', target: 'pause' }],
};

let workflowId: string;

/** A run left waiting on the given steps (rows as the orchestrator writes them; no workers here). */
async function waitingRun(steps: { nodeId: string; nodeType: string; prompt?: string }[]): Promise<string> {
  const { body } = await callAs(gw.url, gw.apiKey, 'POST', '/v1/runs', { workflowId });
  for (const s of steps)
    await gw.db.pool.query(
      `INSERT INTO run_steps (id, org_id, run_id, node_id, node_type, attempt, status, input, started_at) VALUES ($1, $2, $3, $4, $5, 1, 'waiting', $6::jsonb, now())`,
      [newId(), gw.orgId, body.runId, s.nodeId, s.nodeType, JSON.stringify(s.prompt === undefined ? {} : { prompt: s.prompt })],
    );
  await gw.db.pool.query(`UPDATE runs SET status = 'waiting' WHERE id = $1`, [body.runId]);
  return body.runId as string;
}

describe('GET /v1/approvals', () => {
  let older: string;
  let delayOnly: string;
  let newer: string;
  beforeAll(async () => {
    const wf = await callAs(gw.url, gw.apiKey, 'POST', '/v1/workflows', { name: 'approvals list', definition });
    workflowId = wf.body.id;
    expect((await callAs(gw.url, gw.apiKey, 'POST', `/v1/workflows/${workflowId}/versions`, {})).status).toBe(201);
    older = await waitingRun([{ nodeId: 'approve', nodeType: 'wait_for_approval', prompt: 'Refund 40 EUR?' }]);
    delayOnly = await waitingRun([{ nodeId: 'pause', nodeType: 'delay' }]);
    newer = await waitingRun([
      { nodeId: 'approve', nodeType: 'wait_for_approval', prompt: 'Ship order 7?' },
      { nodeId: 'pause', nodeType: 'delay' },
    ]);
  });

  it('lists the approvals of the waiting runs, newest run first, in one call (a run waiting on a delay has none)', async () => {
    const r = await callAs(gw.url, gw.apiKey, 'GET', '/v1/approvals');
    expect(r.status).toBe(200);
    expect(r.body.items).toEqual([
      { runId: newer, workflowId, nodeId: 'approve', prompt: 'Ship order 7?', since: expect.any(String) },
      { runId: older, workflowId, nodeId: 'approve', prompt: 'Refund 40 EUR?', since: expect.any(String) },
    ]);
    expect(Number.isNaN(Date.parse(r.body.items[0].since))).toBe(false);
    expect(r.body.nextCursor).toBeNull();
  });

  it('pages through the waiting runs with the cursor', async () => {
    const first = await callAs(gw.url, gw.apiKey, 'GET', '/v1/approvals?limit=2');
    expect(first.body.items.map((a: { runId: string }) => a.runId)).toEqual([newer]);
    expect(first.body.nextCursor).toBe(delayOnly);
    const rest = await callAs(gw.url, gw.apiKey, 'GET', `/v1/approvals?limit=2&cursor=${first.body.nextCursor}`);
    expect(rest.body.items.map((a: { runId: string }) => a.runId)).toEqual([older]);
    expect(rest.body.nextCursor).toBeNull();
  });

  it('leaves out a decided approval', async () => {
    const decided = await waitingRun([{ nodeId: 'approve', nodeType: 'wait_for_approval', prompt: 'Decided?' }]);
    expect((await callAs(gw.url, gw.apiKey, 'POST', `/v1/runs/${decided}/resume`, { nodeId: 'approve', decision: 'approve' })).status).toBe(202);
    const r = await callAs(gw.url, gw.apiKey, 'GET', '/v1/approvals');
    expect(r.body.items.map((a: { runId: string }) => a.runId)).not.toContain(decided);
  });

  it("answers only the caller's org, and 400 naming the parameter for a bad limit or cursor", async () => {
    const stranger = await signInByMagicLink(gw.url, gw.db.pool, 'approvals.stranger@example.com');
    const theirs = await callWithSession(gw.url, stranger, 'GET', '/v1/approvals');
    expect(theirs.status).toBe(200);
    expect(theirs.body.items).toEqual([]);
    for (const [qs, path] of [['limit=0', 'limit'], ['cursor=nope', 'cursor']]) {
      const bad = await callAs(gw.url, gw.apiKey, 'GET', `/v1/approvals?${qs}`);
      expect(bad.status).toBe(400);
      expect(JSON.stringify(bad.body)).toContain(path);
    }
  });
});
