import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callAs } from './accounts-http';
import { startPlatform, type Platform } from './platform';
import { freePort, startWebhooksService, type WebhooksService } from './webhooks-service';

let p: Platform;
let hooks: WebhooksService;
let cached: WebhooksService;
let workflowId: string;

interface TestAnswer {
  status: number;
  latencyMs: number;
  body: unknown;
  runId: string | null;
  deliveryId: string | null;
}

beforeAll(async () => {
  const port = await freePort();
  p = await startPlatform({ workers: false, webhooksUrl: `http://127.0.0.1:${port}` });
  hooks = await startWebhooksService(p, {}, port);
  // A second ingress on the same database that reuses loaded hooks for up to 300 ms.
  cached = await startWebhooksService(p, { hookCacheMs: 300 });
  const wf = await p.client.createWorkflow({ name: 'tested' });
  await p.client.publishVersion(wf.id, { nodes: [{ id: 'start', type: 'trigger', config: {} }], edges: [] });
  workflowId = wf.id;
});
afterAll(async () => {
  await cached?.stop();
  await hooks?.stop();
  await p?.stop();
});

async function hook(verification: Record<string, unknown>): Promise<{ id: string; secret?: string }> {
  const r = await callAs(p.url, p.apiKey, 'POST', `/v1/workflows/${workflowId}/webhooks`, { verification });
  if (r.status !== 201) throw new Error(`${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

const deliveriesOf = async (hookId: string) => (await callAs(p.url, p.apiKey, 'GET', `/v1/webhooks/${hookId}/deliveries`)).body.items as { status: string; verified: boolean; runId: string | null; id: string }[];

describe('A test event', () => {
  it.each([
    ['standard-webhooks', { scheme: 'standard-webhooks' }],
    ['github', { scheme: 'github' }],
    ['stripe', { scheme: 'stripe' }],
    ['header', { scheme: 'header', header: 'x-shared-token' }],
    ['none', { scheme: 'none' }],
  ])('is signed on the server for a %s hook, verified by the real ingress, logged and starts a run; the secret is not in the answer', async (_name, verification) => {
    const created = await hook(verification);
    const r = await callAs(p.url, p.apiKey, 'POST', `/v1/webhooks/${created.id}/test`, {});
    expect(r.status).toBe(200);
    const answer = r.body as TestAnswer;
    expect(answer).toMatchObject({ status: 202, runId: expect.any(String), deliveryId: expect.any(String) });
    if (created.secret) expect(JSON.stringify(r.body)).not.toContain(created.secret);
    const [delivery] = await deliveriesOf(created.id);
    expect(delivery).toMatchObject({ id: answer.deliveryId, status: 'accepted', verified: true, runId: answer.runId });
    const run = await p.client.getRun(answer.runId!);
    expect(run).toMatchObject({ triggerType: 'webhook', triggerId: created.id });
    expect((run.inputs as { body: { type: string } }).body.type).toBe('weft.test');
  });

  it('sends a given payload, is refused for a disabled hook (409) and is 404 for another org', async () => {
    const created = await hook({ scheme: 'github' });
    const r = await callAs(p.url, p.apiKey, 'POST', `/v1/webhooks/${created.id}/test`, { payload: { action: 'opened', number: 7 } });
    expect((await p.client.getRun((r.body as TestAnswer).runId!)).inputs).toMatchObject({ body: { action: 'opened', number: 7 } });
    const other = await p.newOrgClient();
    const foreign = await other.call('POST', `/v1/webhooks/${created.id}/test`, {}).then(() => undefined, (e: { status?: number }) => e.status);
    expect(foreign).toBe(404);
    await callAs(p.url, p.apiKey, 'PATCH', `/v1/webhooks/${created.id}`, { enabled: false });
    expect((await callAs(p.url, p.apiKey, 'POST', `/v1/webhooks/${created.id}/test`, {})).status).toBe(409);
  });
});

describe('The ingress hook cache', () => {
  it('serves a hook from memory for a bounded time: a rotation and a disable reach deliveries once it expires', async () => {
    const created = await hook({ scheme: 'header', header: 'x-token', secret: 'first-shared-secret' });
    const send = (token: string) => cached.deliver(created.id, '{"n":1}', { 'x-token': token });
    expect((await send('first-shared-secret')).status).toBe(202);
    // Rotated with no grace: the new secret verifies once the cached hook has expired.
    await callAs(p.url, p.apiKey, 'POST', `/v1/webhooks/${created.id}/rotate-secret`, { secret: 'second-shared-secret', graceSeconds: 0 });
    await expect.poll(async () => (await send('second-shared-secret')).status, { timeout: 10_000, interval: 100 }).toBe(202);
    expect((await send('first-shared-secret')).status).toBe(401);
    await callAs(p.url, p.apiKey, 'PATCH', `/v1/webhooks/${created.id}`, { enabled: false });
    await expect.poll(async () => (await send('second-shared-secret')).status, { timeout: 10_000, interval: 100 }).toBe(404);
    // A refusal is not cached: enabling it again is seen by the next delivery.
    await callAs(p.url, p.apiKey, 'PATCH', `/v1/webhooks/${created.id}`, { enabled: true });
    expect((await send('second-shared-secret')).status).toBe(202);
  });
});
