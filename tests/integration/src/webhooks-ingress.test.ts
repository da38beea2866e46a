import { JOBS } from '@weft/queue';
import { signGithub, signStandard, signStripe } from '@weft/webhook-signatures';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callAs } from './accounts-http';
import { startPlatform, type Platform } from './platform';
import { startWebhooksService, type WebhooksService } from './webhooks-service';

let p: Platform;
let hooks: WebhooksService;
let open: string;
let strict: string;
const SW_SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const GH_SECRET = "It's a Secret to Everybody";
const STRIPE_SECRET = 'whsec_stripe_test_secret_0123456789';
const SHARED = 'a-shared-secret-of-some-length';

async function workflow(name: string, inputSchema?: unknown) {
  const wf = await p.client.createWorkflow({ name });
  await p.client.publishVersion(wf.id, {
    nodes: [{ id: 'start', type: 'trigger', config: inputSchema ? { inputSchema } : {} }, { id: 'echo', type: 'transform', config: { expression: 'input.body' } }],
    edges: [{ source: 'start', target: 'echo' }],
  });
  return wf.id;
}

async function hook(workflowId: string, body: Record<string, unknown>): Promise<string> {
  const r = await callAs(p.url, p.apiKey, 'POST', `/v1/workflows/${workflowId}/webhooks`, body);
  if (r.status !== 201) throw new Error(`${r.status} ${JSON.stringify(r.body)}`);
  return r.body.id;
}

const now = () => Math.floor(Date.now() / 1000);
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const runsOf = async (hookId: string) => (await p.db.pool.query<{ id: string; inputs: any }>(`SELECT id, inputs FROM runs WHERE trigger_type = 'webhook' AND trigger_id = $1`, [hookId])).rows;
const deliveriesOf = async (hookId: string) =>
  (await p.db.pool.query<{ status: string; verified: boolean; reason: string | null; run_id: string | null; http_status: number }>(`SELECT status, verified, reason, run_id, http_status FROM webhook_deliveries WHERE webhook_id = $1 ORDER BY id`, [hookId])).rows;

function standardHeaders(id: string, body: string, ts = now(), secret = SW_SECRET) {
  return { 'webhook-id': id, 'webhook-timestamp': String(ts), 'webhook-signature': signStandard(secret, id, ts, body) };
}

beforeAll(async () => {
  p = await startPlatform({ workers: false });
  hooks = await startWebhooksService(p);
  open = await workflow('open');
  strict = await workflow('strict', { type: 'object', properties: { body: { type: 'object', required: ['event'], properties: { event: { type: 'string' } } } } });
});
afterAll(async () => {
  await hooks?.stop();
  await p?.stop();
});

describe('A Standard Webhooks delivery', () => {
  it('is committed with its run, run.created event and start job before the 202 { runId, deliveryId }', async () => {
    const id = await hook(open, { verification: { scheme: 'standard-webhooks', secret: SW_SECRET } });
    const body = JSON.stringify({ hello: 'world' });
    const r = await hooks.deliver(id, body, standardHeaders('msg_1', body), '?source=test');
    expect(r.status).toBe(202);
    expect(r.body).toEqual({ runId: expect.any(String), deliveryId: expect.any(String) });
    // Read right after the answer, from another connection: everything is committed.
    const [run] = await runsOf(id);
    expect(run!.id).toBe(r.body.runId);
    expect(run!.inputs).toMatchObject({ body: { hello: 'world' }, query: { source: 'test' }, deliveryId: r.body.deliveryId, receivedAt: expect.any(String) });
    expect(run!.inputs.headers).toMatchObject({ 'webhook-id': 'msg_1', 'content-type': 'application/json' });
    expect(run!.inputs.headers).not.toHaveProperty('webhook-signature');
    const events = await p.db.pool.query(`SELECT type FROM run_events WHERE run_id = $1`, [run!.id]);
    expect(events.rows.map((e) => e.type)).toEqual(['run.created']);
    const outbox = await p.db.pool.query(`SELECT 1 FROM outbox WHERE job_id = $1`, [`run.${run!.id}.start`]);
    const job = await p.queues.queue(JOBS['start-run'].queue).getJob(`run.${run!.id}.start`);
    expect(outbox.rowCount === 1 || job !== undefined).toBe(true);
    expect(await deliveriesOf(id)).toEqual([{ status: 'accepted', verified: true, reason: null, run_id: run!.id, http_status: 202 }]);
  });

  it('is refused with 401 for a one-byte change, a missing header, a truncated signature, a timestamp 301 s old or ahead; nothing starts', async () => {
    // The service's clock is pinned, so "301 s" cannot become 300 s across a second boundary.
    const t = now();
    const pinned = await startWebhooksService(p, { now: () => t * 1000 });
    try {
      const id = await hook(open, { verification: { scheme: 'standard-webhooks', secret: SW_SECRET } });
      const body = '{"n":1}';
      const good = standardHeaders('msg_2', body, t);
      const cases: [string, string, Record<string, string>][] = [
        ['one byte', '{"n":2}', good],
        ['missing header', body, { 'webhook-id': 'msg_2', 'webhook-timestamp': good['webhook-timestamp'] }],
        ['truncated', body, { ...good, 'webhook-signature': good['webhook-signature'].slice(0, -4) }],
        ['301 s old', body, standardHeaders('msg_2', body, t - 301)],
        ['301 s ahead', body, standardHeaders('msg_2', body, t + 301)],
        ['other secret', body, standardHeaders('msg_2', body, t, 'whsec_b3RoZXItc2VjcmV0LW90aGVyLXNlY3JldA==')],
      ];
      for (const [name, b, h] of cases) expect((await pinned.deliver(id, b, h)).status, name).toBe(401);
      expect(await runsOf(id)).toEqual([]);
      const log = await deliveriesOf(id);
      expect(log).toHaveLength(cases.length);
      for (const d of log) expect(d).toMatchObject({ status: 'refused', verified: false, reason: 'invalid_signature', http_status: 401, run_id: null });
      // 300 s either way is still within the tolerance.
      expect((await pinned.deliver(id, body, standardHeaders('msg_3', body, t + 300))).status).toBe(202);
      expect((await pinned.deliver(id, body, standardHeaders('msg_4', body, t - 300))).status).toBe(202);
    } finally {
      await pinned.stop();
    }
  });

  it('checks the signature before the dedupe: a bad signature with a seen id is a 401, not the first run', async () => {
    const id = await hook(open, { verification: { scheme: 'standard-webhooks', secret: SW_SECRET } });
    const body = '{"a":1}';
    expect((await hooks.deliver(id, body, standardHeaders('msg_seen', body))).status).toBe(202);
    const forged = { ...standardHeaders('msg_seen', body), 'webhook-signature': 'v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=' };
    const r = await hooks.deliver(id, body, forged);
    expect(r.status).toBe(401);
    expect(r.body).not.toHaveProperty('runId');
  });

  it('starts ONE run for 20 identical deliveries sent at once; every answer names it', async () => {
    const id = await hook(open, { verification: { scheme: 'standard-webhooks', secret: SW_SECRET } });
    const body = '{"order":42}';
    const headers = standardHeaders('msg_burst', body);
    const answers = await Promise.all(Array.from({ length: 20 }, () => hooks.deliver(id, body, headers)));
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(202));
    const runs = await runsOf(id);
    expect(runs).toHaveLength(1);
    expect(new Set(answers.map((a) => a.body.runId))).toEqual(new Set([runs[0]!.id]));
    expect(answers.filter((a) => a.headers.get('weft-deduplicated') === 'true')).toHaveLength(19);
    const log = await deliveriesOf(id);
    expect(log.filter((d) => d.status === 'accepted')).toHaveLength(1);
    expect(log.filter((d) => d.status === 'deduped' && d.run_id === runs[0]!.id)).toHaveLength(19);
  });
});

describe('GitHub, Stripe, header and none deliveries', () => {
  it('GitHub: verifies X-Hub-Signature-256 and dedupes by X-GitHub-Delivery', async () => {
    const id = await hook(open, { verification: { scheme: 'github', secret: GH_SECRET } });
    const body = '{"action":"opened"}';
    const h = { 'x-hub-signature-256': signGithub(GH_SECRET, body), 'x-github-delivery': 'gh-1', 'x-github-event': 'issues' };
    const first = await hooks.deliver(id, body, h);
    expect(first.status).toBe(202);
    expect((await hooks.deliver(id, body, h)).body.runId).toBe(first.body.runId);
    expect((await hooks.deliver(id, body.replace('opened', 'closed'), h)).status).toBe(401);
    expect((await hooks.deliver(id, body, { 'x-github-delivery': 'gh-2' })).status).toBe(401);
    const runs = await runsOf(id);
    expect(runs).toHaveLength(1);
    expect(runs[0]!.inputs.headers).toMatchObject({ 'x-github-event': 'issues', 'x-github-delivery': 'gh-1' });
  });

  it('Stripe: verifies Stripe-Signature within 300 s and dedupes by the event id', async () => {
    const id = await hook(open, { verification: { scheme: 'stripe', secret: STRIPE_SECRET } });
    const body = '{"id":"evt_1","type":"charge.succeeded"}';
    const first = await hooks.deliver(id, body, { 'stripe-signature': signStripe(STRIPE_SECRET, now(), body) });
    expect(first.status).toBe(202);
    expect((await hooks.deliver(id, body, { 'stripe-signature': signStripe(STRIPE_SECRET, now(), body) })).body.runId).toBe(first.body.runId);
    expect((await hooks.deliver(id, body, { 'stripe-signature': signStripe(STRIPE_SECRET, now() - 301, body) })).status).toBe(401);
    expect((await hooks.deliver(id, body, { 'stripe-signature': signStripe('whsec_another_secret_000000', now(), body) })).status).toBe(401);
    expect(await runsOf(id)).toHaveLength(1);
  });

  it('header: accepts the shared secret in the named header only, and keeps it out of the inputs', async () => {
    const id = await hook(open, { verification: { scheme: 'header', header: 'X-Hook-Token', secret: SHARED }, inputs: { headers: ['x-hook-token', 'x-tenant'] } });
    expect((await hooks.deliver(id, '{}', { 'x-hook-token': SHARED, 'x-tenant': 't1' })).status).toBe(202);
    expect((await hooks.deliver(id, '{}', { 'x-hook-token': `${SHARED}x` })).status).toBe(401);
    expect((await hooks.deliver(id, '{}', {})).status).toBe(401);
    const [run] = await runsOf(id);
    expect(run!.inputs.headers).toMatchObject({ 'x-tenant': 't1' });
    expect(run!.inputs.headers).not.toHaveProperty('x-hook-token');
  });

  it('none: accepts any delivery, and the webhook carries a warning', async () => {
    const r = await callAs(p.url, p.apiKey, 'POST', `/v1/workflows/${open}/webhooks`, { verification: { scheme: 'none' } });
    expect(r.body.warning).toMatch(/anyone/);
    expect(r.body).not.toHaveProperty('secret');
    expect((await hooks.deliver(r.body.id, '{"x":1}')).status).toBe(202);
  });
});

describe('Delivery content', () => {
  let id: string;
  beforeAll(async () => {
    id = await hook(open, { verification: { scheme: 'none' } });
  });
  const bodyOfRun = async (runId: string) => (await p.db.pool.query(`SELECT inputs FROM runs WHERE id = $1`, [runId])).rows[0].inputs.body;

  it('reads JSON, form-urlencoded, multipart form fields and text bodies', async () => {
    const form = await hooks.deliver(id, 'a=1&b=two&a=3', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(await bodyOfRun(form.body.runId)).toEqual({ a: ['1', '3'], b: 'two' });
    const fd = new FormData();
    fd.append('name', 'Ada');
    fd.append('role', 'admin');
    const multipart = await fetch(`${hooks.url}/hooks/${id}`, { method: 'POST', body: fd });
    expect(multipart.status).toBe(202);
    expect(await bodyOfRun(((await multipart.json()) as { runId: string }).runId)).toEqual({ name: 'Ada', role: 'admin' });
    const text = await hooks.deliver(id, 'plain words', { 'content-type': 'text/plain; charset=utf-8' });
    expect(await bodyOfRun(text.body.runId)).toBe('plain words');
    const json = await hooks.deliver(id, '{"__proto__":{"x":1},"deliveryId":"mine"}', { 'content-type': 'application/vnd.api+json' });
    const run = (await p.db.pool.query(`SELECT inputs FROM runs WHERE id = $1`, [json.body.runId])).rows[0].inputs;
    expect(run.deliveryId).toBe(json.body.deliveryId);
  });

  it('refuses file parts (415), other types (415), bad JSON (400) and bodies over the limit (413)', async () => {
    const fd = new FormData();
    fd.append('doc', new Blob(['%PDF-1.4']), 'doc.pdf');
    expect((await fetch(`${hooks.url}/hooks/${id}`, { method: 'POST', body: fd })).status).toBe(415);
    expect((await hooks.deliver(id, '<a/>', { 'content-type': 'application/xml' })).status).toBe(415);
    expect((await hooks.deliver(id, '{"a":', {})).status).toBe(400);
    const big = await hooks.deliver(id, JSON.stringify({ x: 'y'.repeat(70 * 1024) }));
    expect(big.status).toBe(413);
    expect(big.body).toMatchObject({ code: 'payload_too_large' });
    const log = await deliveriesOf(id);
    expect(log.filter((d) => d.status === 'refused').map((d) => d.reason)).toEqual(['unsupported_media_type', 'unsupported_media_type', 'invalid_payload']);
  });

  it("checks the run inputs against the trigger's inputSchema: 400 naming the path, logged as refused, nothing started", async () => {
    const sid = await hook(strict, { verification: { scheme: 'none' } });
    const r = await hooks.deliver(sid, '{"other":1}');
    expect(r.status).toBe(400);
    expect(r.body.errors).toEqual([expect.objectContaining({ path: 'inputs.body', code: 'required', nodeId: 'start' })]);
    expect(await runsOf(sid)).toEqual([]);
    expect(await deliveriesOf(sid)).toEqual([expect.objectContaining({ status: 'refused', reason: 'invalid_inputs', http_status: 400, verified: true })]);
    expect((await hooks.deliver(sid, '{"event":"ok"}')).status).toBe(202);
  });
});

describe('Hooks that cannot take deliveries', () => {
  it('answers 404 for an unknown or disabled hook and 410 for a deleted one, starting nothing', async () => {
    const id = await hook(open, { verification: { scheme: 'none' } });
    expect((await hooks.deliver(crypto.randomUUID(), '{}')).status).toBe(404);
    expect((await hooks.deliver('not-a-uuid', '{}')).status).toBe(404);
    expect((await callAs(p.url, p.apiKey, 'PATCH', `/v1/webhooks/${id}`, { enabled: false })).status).toBe(200);
    expect((await hooks.deliver(id, '{}')).status).toBe(404);
    expect((await callAs(p.url, p.apiKey, 'DELETE', `/v1/webhooks/${id}`)).status).toBe(204);
    expect((await hooks.deliver(id, '{}')).status).toBe(410);
    expect(await runsOf(id)).toEqual([]);
  });

  it('answers 409 while the workflow has no published version', async () => {
    const draft = await p.client.createWorkflow({ name: 'draft only' });
    const id = await hook(draft.id, { verification: { scheme: 'none' } });
    expect((await hooks.deliver(id, '{}')).status).toBe(409);
  });

  it('releases a delivery id past the dedupe window: that redelivery starts a new run', async () => {
    let clock = Date.now();
    const windowed = await startWebhooksService(p, { dedupeWindowMs: 60_000, now: () => clock });
    try {
      const id = await hook(open, { verification: { scheme: 'none' }, dedupeHeader: 'x-event-id' });
      const first = await windowed.deliver(id, '{}', { 'x-event-id': 'ev-1' });
      clock += 59_000;
      expect((await windowed.deliver(id, '{}', { 'x-event-id': 'ev-1' })).body.runId).toBe(first.body.runId);
      clock += 2_000;
      const later = await windowed.deliver(id, '{}', { 'x-event-id': 'ev-1' });
      expect(later.status).toBe(202);
      expect(later.body.runId).not.toBe(first.body.runId);
      expect((await windowed.deliver(id, '{}', { 'x-event-id': 'ev-1' })).body.runId).toBe(later.body.runId);
      expect(await runsOf(id)).toHaveLength(2);
    } finally {
      await windowed.stop();
    }
  });

  it("answers 429 past the org's rate, whichever of its hooks is called", async () => {
    const limited = await startWebhooksService(p, { orgRate: { perSecond: 0.01, burst: 3 } });
    try {
      const a = await hook(open, { verification: { scheme: 'none' } });
      const b = await hook(open, { verification: { scheme: 'none' } });
      expect((await limited.deliver(a, '{}')).status).toBe(202);
      expect((await limited.deliver(b, '{}')).status).toBe(202);
      expect((await limited.deliver(a, '{}')).status).toBe(202);
      const fourth = await limited.deliver(b, '{}');
      expect(fourth.status).toBe(429);
      expect(Number(fourth.headers.get('retry-after'))).toBeGreaterThan(0);
      expect([...(await runsOf(a)), ...(await runsOf(b))]).toHaveLength(3);
    } finally {
      await limited.stop();
    }
  });

  it('answers 429 with Retry-After past the per-hook rate', async () => {
    const limited = await startWebhooksService(p, { rate: { perSecond: 0.01, burst: 2 } });
    try {
      const id = await hook(open, { verification: { scheme: 'none' } });
      const other = await hook(open, { verification: { scheme: 'none' } });
      expect((await limited.deliver(id, '{}')).status).toBe(202);
      expect((await limited.deliver(id, '{}')).status).toBe(202);
      const third = await limited.deliver(id, '{}');
      expect(third.status).toBe(429);
      expect(Number(third.headers.get('retry-after'))).toBeGreaterThan(0);
      expect((await limited.deliver(other, '{}')).status).toBe(202);
      expect(await runsOf(id)).toHaveLength(2);
    } finally {
      await limited.stop();
    }
  });
});
