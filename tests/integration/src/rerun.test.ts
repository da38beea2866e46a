import { startEchoServer, type EchoServer } from '@weft/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiCall } from './api-http';
import { startPlatform, type Platform } from './platform';

let p: Platform;
let echo: EchoServer;
beforeAll(async () => {
  [p, echo] = await Promise.all([startPlatform(), startEchoServer()]);
});
afterAll(async () => {
  await p?.stop();
  await echo?.close();
});

async function published(name: string, nodes: Record<string, unknown>[], inputSchema?: Record<string, unknown>) {
  const wf = await p.client.createWorkflow({
    name,
    definition: {
      nodes: [{ id: 't', type: 'trigger', config: inputSchema ? { inputSchema } : {} }, ...nodes],
      edges: nodes.map((n) => ({ source: 't', target: String(n.id) })),
    },
  });
  await p.client.publishVersion(wf.id);
  return wf.id;
}

describe('Running an ended run again (trigger type retry)', () => {
  it('starts a new run of the same version whose triggerType is retry and triggerId the run retried, listed by ?triggerType=retry', async () => {
    const workflowId = await published('rerun', [{ id: 'call', type: 'http_request', config: { method: 'POST', url: `${echo.url}/echo`, body: { n: '{{ input.n }}' } } }], {
      type: 'object',
      properties: { n: { type: 'integer' } },
      required: ['n'],
    });
    const first = await p.client.waitForRun((await p.client.createRun({ workflowId, inputs: { n: 1 } })).runId);
    expect(first).toMatchObject({ status: 'succeeded', triggerType: 'api', triggerId: null });

    const again = await apiCall(p, 'POST', `/v1/runs/${first.id}/rerun`, {});
    expect(again.status).toBe(202);
    const same = await p.client.waitForRun((again.body as { runId: string }).runId);
    expect(same).toMatchObject({ status: 'succeeded', triggerType: 'retry', triggerId: first.id, workflowVersionId: first.workflowVersionId, inputs: { n: 1 } });

    const edited = await apiCall(p, 'POST', `/v1/runs/${first.id}/rerun`, { inputs: { n: 2 } });
    const editedRun = await p.client.waitForRun((edited.body as { runId: string }).runId);
    expect(editedRun).toMatchObject({ triggerType: 'retry', triggerId: first.id, inputs: { n: 2 } });
    expect((editedRun.output as { call: { body: { body: unknown } } }).call.body.body).toEqual({ n: 2 });

    const retries = await p.client.listRuns({ triggerType: 'retry', workflowId });
    expect(retries.items.map((r) => r.id)).toEqual([editedRun.id, same.id]);
    expect(retries.items.every((r) => r.triggerType === 'retry' && r.triggerId === first.id)).toBe(true);
    expect((await p.client.listRuns({ triggerType: 'api', workflowId })).items.map((r) => r.id)).toEqual([first.id]);

    // The first run is untouched.
    expect((await p.client.getRun(first.id)).status).toBe('succeeded');
  });

  it('refuses edited inputs its trigger refuses (400 naming the field), a run still going (409), and another org (404)', async () => {
    const workflowId = await published('rerun refusals', [{ id: 'wait', type: 'delay', config: { durationMs: 60_000 } }], { type: 'object', properties: { n: { type: 'integer' } } });
    const { runId } = await p.client.createRun({ workflowId, inputs: { n: 1 } });
    const going = await apiCall(p, 'POST', `/v1/runs/${runId}/rerun`, {});
    expect(going.status).toBe(409);
    const other = await p.newOrgClient();
    const foreign = await other.call('POST', `/v1/runs/${runId}/rerun`, {}).then(() => undefined, (e: { status?: number }) => e.status);
    expect(foreign).toBe(404);
    await p.client.cancelRun(runId);
    await p.client.waitForRun(runId);
    const bad = await apiCall(p, 'POST', `/v1/runs/${runId}/rerun`, { inputs: { n: 'one' } });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('n');
    expect((await p.client.listRuns({ triggerType: 'retry', workflowId })).items).toEqual([]);
  });
});
