import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLoneGateway, type LoneGateway } from './lone-gateway';
import { sample } from './prom-text';

let gw: LoneGateway;
beforeAll(async () => {
  gw = await startLoneGateway({ listen: false });
});
afterAll(async () => {
  await gw?.stop();
});

describe('The gateway exposes Prometheus metrics on its API port', () => {
  it('answers GET /metrics without a key, in the text exposition format', async () => {
    const r = await gw.app.inject({ method: 'GET', url: '/metrics' });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(r.body).toMatch(/^weft_process_cpu_user_seconds_total\{service="gateway"\} /m);
    expect(r.body).toMatch(/^weft_nodejs_eventloop_lag_p99_seconds\{service="gateway"\} /m);
    expect(r.body).toMatch(/^weft_pg_pool_connections\{state="waiting",service="gateway"\} \d+/m);
    expect(r.body).toMatch(/^weft_queue_jobs\{queue="executor",state="waiting",service="gateway"\} \d+/m);
    expect(r.body).toMatch(/^weft_queue_oldest_waiting_seconds\{queue="orchestrator",service="gateway"\} /m);
  });

  it('times each request by its route pattern, never by the raw URL (bounded labels)', async () => {
    const auth = { authorization: `Bearer ${gw.apiKey}` };
    await gw.app.inject({ method: 'GET', url: '/v1/workflows', headers: auth });
    await gw.app.inject({ method: 'GET', url: '/v1/runs/0190f1c4-0000-7000-8000-000000000001', headers: auth });
    await gw.app.inject({ method: 'GET', url: '/v1/workflows' });
    const body = (await gw.app.inject({ method: 'GET', url: '/metrics' })).body;
    const count = (labels: Record<string, string>) => sample(body, 'weft_http_request_duration_seconds_count', { service: 'gateway', method: 'GET', ...labels });
    expect(count({ route: '/v1/workflows', status: '200' })).toBe(1);
    expect(count({ route: '/v1/workflows', status: '401' })).toBe(1);
    expect(count({ route: '/v1/runs/:id', status: '404' })).toBe(1);
    expect(body).not.toContain('0190f1c4-0000-7000-8000-000000000001');
  });
});
