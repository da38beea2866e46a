import { startEchoServer, type EchoServer } from '@weft/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiCall } from './api-http';
import { startPlatform, type Platform } from './platform';

// The routes the dashboard added: replay from a node with an edited input, org-wide webhook and
// schedule lists, a cron expression's preview, and the runs/step time of a range.
let p: Platform;
let echo: EchoServer;
beforeAll(async () => {
  [p, echo] = await Promise.all([startPlatform(), startEchoServer()]);
});
afterAll(async () => {
  await p?.stop();
  await echo?.close();
});

async function published(name: string, definition: Record<string, unknown>) {
  const wf = await p.client.createWorkflow({ name, definition });
  await p.client.publishVersion(wf.id);
  return wf.id;
}

/** trigger → fetch (http) → shape (transform reading fetch) → wait (approval), and trigger → side (http, not before shape). */
const pipeline = (echoUrl: string) => ({
  nodes: [
    { id: 't', type: 'trigger', config: {} },
    { id: 'fetch', type: 'http_request', config: { method: 'POST', url: `${echoUrl}/echo`, body: { n: '{{ input.n }}' } } },
    { id: 'shape', type: 'transform', config: { expression: '{ n: steps.fetch.output.body.body.n, tag: input.tag }' } },
    { id: 'side', type: 'http_request', config: { method: 'POST', url: `${echoUrl}/echo`, body: { side: true } } },
  ],
  edges: [{ source: 't', target: 'fetch' }, { source: 'fetch', target: 'shape' }, { source: 't', target: 'side' }],
});

const calls = () => echo.requests.filter((r) => r.path === '/echo').length;

describe('Replay from a node with an edited input (POST /v1/runs/:id/rerun { fromNodeId, stepOutputs })', () => {
  it('reuses the outputs before the node, runs it with the edited one, and leaves the first run as it was', async () => {
    const workflowId = await published('replay from node', pipeline(echo.url));
    const first = await p.client.waitForRun((await p.client.createRun({ workflowId, inputs: { n: 1, tag: 'a' } })).runId);
    expect(first.status).toBe('succeeded');
    expect(first.steps.find((s) => s.nodeId === 'shape')!.output).toEqual({ n: 1, tag: 'a' });
    const before = calls();

    const edited = await apiCall(p, 'POST', `/v1/runs/${first.id}/rerun`, { fromNodeId: 'shape', stepOutputs: { fetch: { status: 200, body: { body: { n: 42 } } } } });
    expect(edited.status).toBe(202);
    const again = await p.client.waitForRun((edited.body as { runId: string }).runId);
    expect(again).toMatchObject({ status: 'succeeded', triggerType: 'retry', triggerId: first.id, inputs: { n: 1, tag: 'a' } });
    expect(again.steps.find((s) => s.nodeId === 'shape')!.output).toEqual({ n: 42, tag: 'a' });
    // Neither HTTP node called out again: fetch took the edited output, side the first run's.
    expect(calls()).toBe(before);
    expect(again.steps.find((s) => s.nodeId === 'fetch')!.output).toEqual({ status: 200, body: { body: { n: 42 } } });
    expect(again.steps.find((s) => s.nodeId === 'side')!.output).toEqual(first.steps.find((s) => s.nodeId === 'side')!.output);
    expect((await p.client.getRun(first.id)).steps.find((s) => s.nodeId === 'shape')!.output).toEqual({ n: 1, tag: 'a' });

    // From a node with no edit, edited run inputs: it and what follows run, the rest is reused.
    const fromFetch = await apiCall(p, 'POST', `/v1/runs/${first.id}/rerun`, { fromNodeId: 'fetch', inputs: { n: 7, tag: 'b' } });
    const third = await p.client.waitForRun((fromFetch.body as { runId: string }).runId);
    expect(third.steps.find((s) => s.nodeId === 'shape')!.output).toEqual({ n: 7, tag: 'b' });
    expect(calls()).toBe(before + 1); // fetch ran, side did not
  });

  it('answers 400 naming the path for an unknown node, a node not before it, the trigger and a malformed body', async () => {
    const workflowId = await published('replay refusals', pipeline(echo.url));
    const run = await p.client.waitForRun((await p.client.createRun({ workflowId, inputs: { n: 1 } })).runId);
    const rerun = (body: unknown) => apiCall(p, 'POST', `/v1/runs/${run.id}/rerun`, body);

    const unknownFrom = await rerun({ fromNodeId: 'nowhere' });
    expect(unknownFrom.status).toBe(400);
    expect(unknownFrom.type).toContain('application/problem+json');
    expect(unknownFrom.body.errors).toEqual([expect.objectContaining({ path: 'body.fromNodeId', code: 'unknown_node' })]);

    const after = await rerun({ fromNodeId: 'fetch', stepOutputs: { shape: { n: 2 }, ghost: 1, t: {} } });
    expect(after.status).toBe(400);
    expect(after.body.errors).toEqual([
      expect.objectContaining({ path: 'body.stepOutputs.shape', code: 'not_before_node' }),
      expect.objectContaining({ path: 'body.stepOutputs.ghost', code: 'unknown_node' }),
      expect.objectContaining({ path: 'body.stepOutputs.t', code: 'not_reusable' }),
    ]);

    const withoutFrom = await rerun({ stepOutputs: { fetch: {} } });
    expect(withoutFrom.status).toBe(400);
    expect(withoutFrom.body.errors).toEqual([expect.objectContaining({ path: 'body.stepOutputs' })]);

    const notObject = await rerun({ fromNodeId: 'shape', stepOutputs: [1, 2] });
    expect(notObject.status).toBe(400);
    expect(JSON.stringify(notObject.body.errors)).toContain('body.stepOutputs');

    // Nested past the value limits (sent as text: the client's own JSON.stringify would give up first).
    const deep = await fetch(`${p.url}/v1/runs/${run.id}/rerun`, {
      method: 'POST',
      headers: { authorization: `Bearer ${p.apiKey}`, 'content-type': 'application/json' },
      body: `{"fromNodeId":"shape","stepOutputs":{"fetch":${'['.repeat(5000)}${']'.repeat(5000)}}}`,
    });
    expect(deep.status).toBe(400);
    expect(((await deep.json()) as { errors: unknown[] }).errors).toEqual([expect.objectContaining({ code: 'too_deep', path: expect.stringMatching(/^body\.stepOutputs\.fetch\[0\]/) })]);

    expect((await p.client.listRuns({ triggerType: 'retry', workflowId })).items).toEqual([]);
  });
});

describe("The org's webhooks and schedules, and a cron preview", () => {
  it('lists webhooks and schedules of every workflow of the org, newest first, filtered by workflowId, never another org’s', async () => {
    const a = await published('hooks a', { nodes: [{ id: 't', type: 'trigger', config: {} }], edges: [] });
    const b = await published('hooks b', { nodes: [{ id: 't', type: 'trigger', config: {} }], edges: [] });
    const ha = await p.client.createWebhook(a, { verification: { scheme: 'none' } });
    const hb = await p.client.createWebhook(b, { verification: { scheme: 'github' } });
    const sa = await p.client.createSchedule(a, { cron: '0 9 * * 1-5', timezone: 'Europe/Berlin' });
    const sb = await p.client.createSchedule(b, { cron: '*/15 * * * *', timezone: 'UTC', enabled: false });

    const hooks = await apiCall(p, 'GET', '/v1/webhooks');
    expect(hooks.status).toBe(200);
    const hookIds = hooks.body.items.map((h: { id: string }) => h.id);
    expect(hookIds.indexOf(hb.id)).toBeLessThan(hookIds.indexOf(ha.id));
    expect(hooks.body.items.find((h: { id: string }) => h.id === hb.id)).toMatchObject({ workflowId: b, scheme: 'github', enabled: true });
    expect((await apiCall(p, 'GET', `/v1/webhooks?workflowId=${a}`)).body.items.map((h: { id: string }) => h.id)).toEqual([ha.id]);
    await p.client.deleteWebhook(ha.id);
    expect((await apiCall(p, 'GET', `/v1/webhooks?workflowId=${a}`)).body.items).toEqual([]);

    const schedules = await apiCall(p, 'GET', '/v1/schedules?limit=1');
    expect(schedules.body.items.map((s: { id: string }) => s.id)).toEqual([sb.id]);
    const next = await apiCall(p, 'GET', `/v1/schedules?limit=1&cursor=${schedules.body.nextCursor}`);
    expect(next.body.items[0]).toMatchObject({ id: sa.id, workflowId: a, timezone: 'Europe/Berlin', enabled: true });
    expect(next.body.items[0].nextRuns).toHaveLength(5);
    expect((await apiCall(p, 'GET', `/v1/schedules?workflowId=${b}`)).body.items.map((s: { id: string }) => s.id)).toEqual([sb.id]);

    const other = await p.newOrgClient();
    expect((await other.call<{ items: unknown[] }>('GET', '/v1/webhooks')).items).toEqual([]);
    expect((await other.call<{ items: unknown[] }>('GET', '/v1/schedules')).items).toEqual([]);
  });

  it('previews the next fires of an expression in a zone, and answers 400 naming querystring.cron or .timezone', async () => {
    const from = '2026-03-27T12:00:00Z';
    const ok = await apiCall(p, 'GET', `/v1/schedules/preview?cron=${encodeURIComponent('30 2 * * *')}&timezone=Europe/Berlin&count=3&from=${from}`);
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ cron: '30 2 * * *', timezone: 'Europe/Berlin' });
    expect(ok.body.fires.map((f: { at: string }) => f.at)).toEqual(['2026-03-28T01:30:00.000Z', '2026-03-29T01:00:00.000Z', '2026-03-30T00:30:00.000Z']);
    expect(ok.body.fires[1].dst).toMatchObject({ kind: 'spring_forward', shifted: true });
    expect((await apiCall(p, 'GET', '/v1/schedules/preview?cron=0+9+*+*+*&timezone=UTC')).body.fires).toHaveLength(5);

    const badCron = await apiCall(p, 'GET', '/v1/schedules/preview?cron=61+*+*+*+*&timezone=UTC');
    expect(badCron.status).toBe(400);
    expect(badCron.body.errors).toEqual([expect.objectContaining({ path: 'querystring.cron' })]);
    const badZone = await apiCall(p, 'GET', '/v1/schedules/preview?cron=0+9+*+*+*&timezone=Mars/Olympus');
    expect(badZone.status).toBe(400);
    expect(badZone.body.errors).toEqual([expect.objectContaining({ path: 'querystring.timezone' })]);
  });
});

describe('Runs and step time of a range (GET /v1/runs/usage)', () => {
  it('counts the top-level runs created in the range and the time their steps executed, for the caller’s org only', async () => {
    const other = await p.newOrgClient();
    const since = new Date().toISOString();
    const empty = await other.call<{ runs: number; stepMs: number }>('GET', `/v1/runs/usage?since=${since}`);
    expect(empty).toMatchObject({ runs: 0, testRuns: 0, steps: 0, stepMs: 0, since });

    const wf = await other.createWorkflow({ name: 'usage', definition: pipeline(echo.url) });
    await other.publishVersion(wf.id);
    const runs = [];
    for (const n of [1, 2]) runs.push(await other.waitForRun((await other.createRun({ workflowId: wf.id, inputs: { n } })).runId));
    const usage = await other.call<{ runs: number; testRuns: number; steps: number; stepMs: number }>('GET', `/v1/runs/usage?since=${since}`);
    const started = runs.flatMap((r) => r.steps).filter((s) => s.startedAt !== null && s.finishedAt !== null);
    const ms = started.reduce((sum, s) => sum + (new Date(s.finishedAt!).getTime() - new Date(s.startedAt!).getTime()), 0);
    expect(usage).toMatchObject({ runs: 2, testRuns: 0, steps: started.length });
    expect(usage.stepMs).toBeGreaterThanOrEqual(ms - started.length); // rounded per step at most
    expect(usage.stepMs).toBeLessThanOrEqual(ms + started.length);
    // A range that ended before them counts none; this org's own runs are never in another org's answer.
    expect(await other.call('GET', `/v1/runs/usage?until=${since}`)).toMatchObject({ runs: 0, steps: 0 });
    const bad = await apiCall(p, 'GET', '/v1/runs/usage?since=yesterday');
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([expect.objectContaining({ path: 'querystring.since' })]);
  });
});
