import { startWorkerOps, type WorkerOps } from '@weft/metrics';
import { QUEUES } from '@weft/queue';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callAs } from './accounts-http';
import { sample } from './prom-text';
import { startPlatform, type Platform } from './platform';
import { startWebhooksService, type WebhooksService } from './webhooks-service';

let p: Platform;
let hooks: WebhooksService;
let ops: WorkerOps;
beforeAll(async () => {
  p = await startPlatform({ workers: false });
  hooks = await startWebhooksService(p);
  ops = await startWorkerOps({ service: 'executor', port: 0, host: '127.0.0.1', pool: p.db.pool, redis: p.queues.connection, queues: Object.values(QUEUES).map((q) => p.queues.queue(q)) });
});
afterAll(async () => {
  await ops?.close();
  await hooks?.stop();
  await p?.stop();
});

describe("A worker's operations port (WEFT_METRICS_PORT)", () => {
  it('serves /metrics, /healthz and /readyz without a key', async () => {
    const base = `http://127.0.0.1:${ops.port}`;
    const metrics = await fetch(`${base}/metrics`);
    expect(metrics.status).toBe(200);
    const text = await metrics.text();
    expect(text).toMatch(/^weft_process_resident_memory_bytes\{service="executor"\} \d+/m);
    expect(text).toMatch(/^weft_queue_jobs\{queue="orchestrator",state="delayed",service="executor"\} \d+/m);
    expect(text).toMatch(/^weft_pg_pool_connections\{state="open",service="executor"\} \d+/m);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ok' });
    expect((await fetch(`${base}/nowhere`)).status).toBe(404);
    expect((await fetch(`${base}/metrics`, { method: 'POST' })).status).toBe(405);
  });

  it('reports the oldest waiting job of a queue by its age', async () => {
    await p.queues.queue('executor').add('probe', { stepId: 'none' }, { jobId: 'metrics-probe' });
    const text = await (await fetch(`http://127.0.0.1:${ops.port}/metrics`)).text();
    const line = text.split('\n').find((l) => l.startsWith('weft_queue_oldest_waiting_seconds{queue="executor"'));
    expect(Number(line?.split(' ').pop())).toBeGreaterThanOrEqual(0);
    expect(text).toMatch(/^weft_queue_jobs\{queue="executor",state="waiting",service="executor"\} 1$/m);
    await p.queues.queue('executor').remove('metrics-probe');
  });
});

describe("The webhooks service's /metrics", () => {
  it('counts deliveries by the status answered', async () => {
    const wf = await p.client.createWorkflow({ name: 'metrics hook' });
    await p.client.publishVersion(wf.id, { nodes: [{ id: 'start', type: 'trigger', config: {} }], edges: [] });
    const created = await callAs(p.url, p.apiKey, 'POST', `/v1/workflows/${wf.id}/webhooks`, { verification: { scheme: 'header', header: 'x-token', secret: 'a-shared-secret-of-some-length' } });
    expect(created.status).toBe(201);
    expect((await hooks.deliver(created.body.id, '{}', { 'x-token': 'a-shared-secret-of-some-length' })).status).toBe(202);
    expect((await hooks.deliver(created.body.id, '{}', { 'x-token': 'wrong' })).status).toBe(401);
    expect((await hooks.deliver(created.body.id, '{}', {})).status).toBe(401);
    const text = await (await fetch(`${hooks.url}/metrics`)).text();
    expect(text).toMatch(/^weft_webhook_deliveries_total\{status="202",service="webhooks"\} 1$/m);
    expect(text).toMatch(/^weft_webhook_deliveries_total\{status="401",service="webhooks"\} 2$/m);
    // Signature checks by result: one accepted, two refused, each with its reason.
    expect(sample(text, 'weft_webhook_verifications_total', { scheme: 'header', result: 'ok' })).toBe(1);
    const refused = text.split('\n').filter((l) => l.startsWith('weft_webhook_verifications_total{') && !l.includes('result="ok"'));
    expect(refused.reduce((n, l) => n + Number(l.slice(l.lastIndexOf(' ') + 1)), 0)).toBe(2);
  });
});
