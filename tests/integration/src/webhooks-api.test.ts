import { hashApiKey } from '@weft/gateway';
import { signStandard } from '@weft/webhook-signatures';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callAs, mintKey } from './accounts-http';
import { startPlatform, type Platform } from './platform';
import { startWebhooksService, type WebhooksService } from './webhooks-service';

let p: Platform;
let hooks: WebhooksService;
let workflowId: string;
let respondingId: string;
let slowId: string;

/** The owner key of a new org. */
async function otherOrgOwner(): Promise<string> {
  const org = crypto.randomUUID();
  const key = `weft_other_owner_${crypto.randomUUID()}`;
  await p.db.pool.query(`INSERT INTO orgs (id, slug, name) VALUES ($1, $2, 'Other org')`, [org, `other-${org}`]);
  await p.db.pool.query(`INSERT INTO api_keys (id, org_id, name, prefix, hash, role) VALUES ($1, $2, 'owner', 'weft_', $3, 'owner')`, [crypto.randomUUID(), org, hashApiKey(key)]);
  return key;
}

const api = (method: string, path: string, body?: unknown, key = p.apiKey) => callAs(p.url, key, method, path, body);
const now = () => Math.floor(Date.now() / 1000);
const signed = (secret: string, id: string, body: string) => ({ 'webhook-id': id, 'webhook-timestamp': String(now()), 'webhook-signature': signStandard(secret, id, now(), body) });

async function publish(name: string, nodes: unknown[], edges: unknown[]) {
  const wf = await p.client.createWorkflow({ name });
  await p.client.publishVersion(wf.id, { nodes, edges } as never);
  return wf.id;
}

beforeAll(async () => {
  p = await startPlatform();
  hooks = await startWebhooksService(p);
  workflowId = await publish('echo', [{ id: 'start', type: 'trigger', config: {} }, { id: 'echo', type: 'transform', config: { expression: 'input.body' } }], [{ source: 'start', target: 'echo' }]);
  respondingId = await publish(
    'responds',
    [
      { id: 'start', type: 'trigger', config: {} },
      { id: 'reply', type: 'transform', config: { expression: '{webhookResponse: {status: `201`, headers: {"x-order": input.body.order}, body: {received: input.body.order}}}' } },
    ],
    [{ source: 'start', target: 'reply' }],
  );
  slowId = await publish('slow', [{ id: 'start', type: 'trigger', config: {} }, { id: 'wait', type: 'delay', config: { durationMs: 60_000 } }], [{ source: 'start', target: 'wait' }]);
});
afterAll(async () => {
  await hooks?.stop();
  await p?.stop();
});

describe('Managing webhooks', () => {
  it('creates a webhook with its ingress URL and shows a generated secret once', async () => {
    const r = await api('POST', `/v1/workflows/${workflowId}/webhooks`, { verification: { scheme: 'standard-webhooks' } });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ id: expect.any(String), scheme: 'standard-webhooks', mode: 'async', createdAt: expect.any(String), url: `http://127.0.0.1:8090/hooks/${r.body.id}` });
    expect(r.body.secret).toMatch(/^whsec_/);
    const got = await api('GET', `/v1/webhooks/${r.body.id}`);
    expect(got.body).not.toHaveProperty('secret');
    expect(JSON.stringify(got.body)).not.toContain(r.body.secret);
    expect(got.body.secrets).toHaveLength(1);
    const stored = await p.db.pool.query(`SELECT ciphertext FROM webhook_secrets WHERE webhook_id = $1`, [r.body.id]);
    expect(Buffer.from(stored.rows[0].ciphertext).toString('latin1')).not.toContain(r.body.secret.slice(6));
    const body = '{"a":1}';
    expect((await hooks.deliver(r.body.id, body, signed(r.body.secret, 'm1', body))).status).toBe(202);
    const list = await api('GET', `/v1/workflows/${workflowId}/webhooks`);
    expect(list.body.items.map((h: { id: string }) => h.id)).toContain(r.body.id);
  });

  it('refuses bad verification settings with 400 naming the field', async () => {
    const bad = [
      [{ verification: { scheme: 'header' } }, 'body.verification.header'],
      [{ verification: { scheme: 'hmac' } }, 'body.verification.scheme'],
      [{ verification: { scheme: 'standard-webhooks', secret: 'not-a-whsec-secret' } }, 'body.verification.secret'],
      [{ verification: { scheme: 'none' }, syncTimeoutMs: 10 }, 'body.syncTimeoutMs'],
      [{ verification: { scheme: 'none' }, mode: 'stream' }, 'body.mode'],
    ] as const;
    for (const [body, path] of bad) {
      const r = await api('POST', `/v1/workflows/${workflowId}/webhooks`, body);
      expect(r.status, path).toBe(400);
      expect(r.body.errors.map((e: { path: string }) => e.path), path).toContain(path);
    }
  });

  it('rotates the secret: old and new verify during the grace period, only the new one after', async () => {
    const created = await api('POST', `/v1/workflows/${workflowId}/webhooks`, { verification: { scheme: 'standard-webhooks' } });
    const id = created.body.id;
    const rotated = await api('POST', `/v1/webhooks/${id}/rotate-secret`, { graceSeconds: 3600 });
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).toMatch(/^whsec_/);
    const body = '{"r":1}';
    expect((await hooks.deliver(id, body, signed(created.body.secret, 'old-1', body))).status).toBe(202);
    expect((await hooks.deliver(id, body, signed(rotated.body.secret, 'new-1', body))).status).toBe(202);
    expect((await api('GET', `/v1/webhooks/${id}`)).body.secrets).toHaveLength(2);
    // A rotation without grace ends the previous secrets at once.
    const again = await api('POST', `/v1/webhooks/${id}/rotate-secret`, { graceSeconds: 0 });
    expect((await hooks.deliver(id, body, signed(rotated.body.secret, 'new-2', body))).status).toBe(401);
    expect((await hooks.deliver(id, body, signed(again.body.secret, 'new-3', body))).status).toBe(202);
  });

  it("answers 404 for another org's webhook and delivery, 403 to a viewer who manages", async () => {
    const created = await api('POST', `/v1/workflows/${workflowId}/webhooks`, { verification: { scheme: 'none' } });
    const id = created.body.id;
    const accepted = await hooks.deliver(id, '{}');
    const theirKey = await otherOrgOwner();
    for (const [method, path, body] of [
      ['GET', `/v1/webhooks/${id}`], ['PATCH', `/v1/webhooks/${id}`, { enabled: false }], ['DELETE', `/v1/webhooks/${id}`],
      ['POST', `/v1/webhooks/${id}/rotate-secret`, {}], ['GET', `/v1/webhooks/${id}/deliveries`],
      ['POST', `/v1/webhook-deliveries/${accepted.body.deliveryId}/replay`], ['POST', `/v1/workflows/${workflowId}/webhooks`, { verification: { scheme: 'none' } }],
      ['GET', `/v1/workflows/${workflowId}/webhooks`],
    ] as const) {
      expect((await api(method, path, body, theirKey)).status, `${method} ${path}`).toBe(404);
    }
    const viewer = await mintKey(p.url, p.apiKey, 'viewer');
    expect((await api('POST', `/v1/workflows/${workflowId}/webhooks`, { verification: { scheme: 'none' } }, viewer)).status).toBe(403);
    expect((await api('DELETE', `/v1/webhooks/${id}`, undefined, viewer)).status).toBe(403);
    expect((await api('POST', `/v1/webhook-deliveries/${accepted.body.deliveryId}/replay`, undefined, viewer)).status).toBe(403);
    expect((await api('GET', `/v1/webhooks/${id}`, undefined, viewer)).status).toBe(200);
    expect((await api('GET', `/v1/webhooks/${id}`)).body.enabled).toBe(true);
  });
});

describe('The delivery log and replay', () => {
  it('lists deliveries newest first by cursor, and a replay starts a new run with the same body', async () => {
    const id = (await api('POST', `/v1/workflows/${workflowId}/webhooks`, { verification: { scheme: 'none' }, dedupeHeader: 'x-event-id' })).body.id;
    const first = await hooks.deliver(id, '{"n":1}', { 'x-event-id': 'e1' });
    await hooks.deliver(id, '{"n":1}', { 'x-event-id': 'e1' });
    await hooks.deliver(id, 'nope', { 'content-type': 'application/xml' });
    const page1 = await api('GET', `/v1/webhooks/${id}/deliveries?limit=2`);
    expect(page1.body.items.map((d: { status: string }) => d.status)).toEqual(['refused', 'deduped']);
    const page2 = await api('GET', `/v1/webhooks/${id}/deliveries?limit=2&cursor=${page1.body.nextCursor}`);
    expect(page2.body.items).toEqual([expect.objectContaining({ id: first.body.deliveryId, status: 'accepted', dedupeKey: 'e1', runId: first.body.runId, verified: true })]);

    const replay = await api('POST', `/v1/webhook-deliveries/${first.body.deliveryId}/replay`);
    expect(replay.status).toBe(202);
    expect(replay.body.runId).not.toBe(first.body.runId);
    const [orig, again] = await Promise.all([p.client.waitForRun(first.body.runId), p.client.waitForRun(replay.body.runId)]);
    expect(again.output).toEqual(orig.output);
    expect(again).toMatchObject({ triggerType: 'webhook', triggerId: id });
    const log = await api('GET', `/v1/webhooks/${id}/deliveries`);
    expect(log.body.items[0]).toMatchObject({ id: replay.body.deliveryId, status: 'replayed', replayOf: first.body.deliveryId, runId: replay.body.runId });
    const refused = log.body.items.find((d: { status: string }) => d.status === 'refused');
    expect((await api('POST', `/v1/webhook-deliveries/${refused.id}/replay`)).status).toBe(409);
    const byTrigger = await api('GET', `/v1/runs?triggerType=webhook&limit=200`);
    expect(byTrigger.body.items.map((r: { id: string }) => r.id)).toEqual(expect.arrayContaining([first.body.runId, replay.body.runId]));
  });
});

describe('Sync webhooks', () => {
  it("answer with the run's output, status and headers when the run ends in time", async () => {
    const id = (await api('POST', `/v1/workflows/${respondingId}/webhooks`, { verification: { scheme: 'none' }, mode: 'sync', syncTimeoutMs: 30_000 })).body.id;
    const r = await hooks.deliver(id, '{"order":"A-7"}');
    expect(r.status).toBe(201);
    expect(r.headers.get('x-order')).toBe('A-7');
    expect(r.body).toEqual({ received: 'A-7' });
    const plain = (await api('POST', `/v1/workflows/${workflowId}/webhooks`, { verification: { scheme: 'none' }, mode: 'sync', syncTimeoutMs: 30_000 })).body.id;
    const echoed = await hooks.deliver(plain, '{"x":1}');
    expect(echoed.status).toBe(200);
    expect(echoed.body).toMatchObject({ status: 'succeeded', output: expect.anything() });
  });

  it('answer 202 with the status URL when the run is still going at the deadline', async () => {
    const id = (await api('POST', `/v1/workflows/${slowId}/webhooks`, { verification: { scheme: 'none' }, mode: 'sync', syncTimeoutMs: 300 })).body.id;
    const r = await hooks.deliver(id, '{}');
    expect(r.status).toBe(202);
    expect(r.body).toMatchObject({ runId: expect.any(String), status: 'running', statusUrl: `${p.url}/v1/runs/${r.body.runId}` });
    expect(r.headers.get('location')).toBe(r.body.statusUrl);
    expect((await api('GET', `/v1/runs/${r.body.runId}`)).status).toBe(200);
  });
});
