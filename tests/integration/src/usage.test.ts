import { QuotaGuard, aggregateUsage, computeInvoice, upsertPlan, utcDay } from '@weft/billing';
import { tickSchedules } from '@weft/orchestrator';
import { generateApiKey } from '@weft/gateway';
import { startEchoServer, type EchoServer } from '@weft/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callAs } from './accounts-http';
import { startPlatform, type Platform } from './platform';
import { startWebhooksService } from './webhooks-service';

let p: Platform;
let echo: EchoServer;
beforeAll(async () => {
  [p, echo] = await Promise.all([startPlatform(), startEchoServer()]);
});
afterAll(async () => {
  await p?.stop();
  await echo?.close();
});

const call = (method: string, url: string, body?: unknown, key = p.apiKey) => callAs(p.url, key, method, url, body);
const today = () => utcDay(new Date());

/** An org on `plan` with an admin key, and a published workflow of one approval step (its runs stay live). */
async function orgOnPlan(plan: string) {
  const orgId = crypto.randomUUID();
  const key = generateApiKey();
  await p.db.pool.query(`INSERT INTO orgs (id, slug, name, plan_id) VALUES ($1, $2, 'Quota org', $3)`, [orgId, `quota-${orgId}`, plan]);
  await p.db.pool.query(`INSERT INTO api_keys (id, org_id, name, prefix, hash, role) VALUES ($1, $2, 'q', 'weft_', encode(sha256($3::bytea), 'hex'), 'admin')`, [crypto.randomUUID(), orgId, key]);
  const wf = await call('POST', '/v1/workflows', {
    name: 'waits',
    definition: { nodes: [{ id: 't', type: 'trigger', config: {} }, { id: 'a', type: 'wait_for_approval', config: { prompt: 'ok?' } }], edges: [{ source: 't', target: 'a' }] },
  }, key);
  expect((await call('POST', `/v1/workflows/${wf.body.id}/versions`, {}, key)).status).toBe(201);
  return { orgId, key, workflowId: wf.body.id as string };
}

describe('Usage metering through the platform', () => {
  it('meters a run, its executor step and its HTTP bytes in their own statements; GET /v1/usage is current and the run costs add up to the invoice', async () => {
    const wf = await p.client.createWorkflow({
      name: 'metered',
      definition: {
        nodes: [{ id: 't', type: 'trigger', config: {} }, { id: 'h', type: 'http_request', config: { method: 'POST', url: `${echo.url}/m`, body: { hello: 'world' } } }, { id: 'x', type: 'transform', config: { expression: 'steps.h.output.status' } }],
        edges: [{ source: 't', target: 'h' }, { source: 'h', target: 'x' }],
      },
    });
    await p.client.publishVersion(wf.id);
    const runs = [];
    for (let i = 0; i < 2; i++) runs.push(await p.client.waitForRun((await p.client.createRun({ workflowId: wf.id })).runId));
    expect(runs.map((r) => r.status)).toEqual(['succeeded', 'succeeded']);

    const { rows } = await p.db.pool.query(
      `SELECT kind, data->>'nodeType' AS node_type, workflow_id, quantity::int AS q FROM usage_events WHERE run_id = $1 ORDER BY kind`,
      [runs[0]!.id],
    );
    expect(rows.map((r) => [r.kind, r.node_type, r.workflow_id])).toEqual([
      ['http_bytes', 'http_request', wf.id],
      ['run', null, wf.id],
      ['step_ms', 'http_request', wf.id],
    ]);
    expect(rows.find((r) => r.kind === 'http_bytes')!.q).toBeGreaterThan('{"hello":"world"}'.length);

    // Not aggregated yet: today's numbers come from the events.
    const byWorkflow = await call('GET', `/v1/usage?from=${today()}&to=${today()}&groupBy=workflow`);
    expect(byWorkflow.status).toBe(200);
    const mine = byWorkflow.body.items.find((i: { key: string }) => i.key === wf.id);
    expect(mine).toMatchObject({ name: 'metered', totals: { run: 2 } });
    expect(mine.totals.step_ms).toBeGreaterThanOrEqual(0);
    const byType = await call('GET', `/v1/usage?from=${today()}&to=${today()}&groupBy=nodeType`);
    expect(byType.body.items.map((i: { key: string }) => i.key)).toContain('http_request');
    expect(byType.body.plan).toMatchObject({ id: 'default', quotas: { runsPerMonth: { limit: null }, concurrentRuns: { limit: null } } });

    // Aggregated (twice: idempotent), the numbers are the same.
    await aggregateUsage(p.db.pool);
    await aggregateUsage(p.db.pool);
    const after = await call('GET', `/v1/usage?from=${today()}&to=${today()}&groupBy=day`);
    expect(after.body.totals).toEqual((await call('GET', `/v1/usage?from=${today()}&to=${today()}`)).body.totals);
    expect(after.body.totals.run).toBe(byType.body.totals.run);

    // The per-run cost lines (GET /v1/runs/:id) add up exactly to the invoice of the org.
    const all = await p.db.pool.query<{ id: string }>(`SELECT id FROM runs WHERE org_id = $1 AND kind = 'run'`, [p.orgId]);
    let sum = 0n;
    for (const { id } of all.rows) {
      const run = await call('GET', `/v1/runs/${id}`);
      expect(run.body.cost).toMatchObject({ currency: 'USD' });
      sum += BigInt(run.body.cost.totalMicros);
    }
    const invoice = await computeInvoice(p.db.pool, p.orgId, { from: today(), to: today() });
    expect(sum).toBe(BigInt(invoice.totalMicros));
    expect(BigInt(invoice.totalMicros)).toBeGreaterThan(0n);
  });

  it('answers 400 naming the field for a bad range', async () => {
    const bad = await call('GET', `/v1/usage?from=yesterday&to=${today()}`);
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path)).toEqual(['querystring.from']);
    const reversed = await call('GET', `/v1/usage?from=${today()}&to=2020-01-01`);
    expect(reversed.status).toBe(400);
    expect(reversed.body.errors.map((e: { path: string }) => e.path)).toEqual(['querystring.to']);
    const missing = await call('GET', '/v1/usage');
    expect(missing.status).toBe(400);
    const groupBy = await call('GET', `/v1/usage?from=${today()}&to=${today()}&groupBy=org`);
    expect(groupBy.body.errors.map((e: { path: string }) => e.path)).toEqual(['querystring.groupBy']);
  });
});

describe('Plan quotas at run start', () => {
  it('answers 402 naming the quota, its limit and its reset once the monthly runs are used, for new runs and draft test runs alike', async () => {
    await upsertPlan(p.db.pool, { id: 'two-runs', name: 'Two runs', runsPerMonth: 2, stepSecondsPerMonth: null, concurrentRuns: null });
    const org = await orgOnPlan('two-runs');
    const first = await call('POST', '/v1/runs', { workflowId: org.workflowId }, org.key);
    expect(first.status).toBe(202);
    expect((await call('POST', '/v1/runs', { workflowId: org.workflowId }, org.key)).status).toBe(202);
    const refused = await call('POST', '/v1/runs', { workflowId: org.workflowId }, org.key);
    expect(refused.status).toBe(402);
    expect(refused.type).toContain('application/problem+json');
    const now = new Date();
    expect(refused.body).toMatchObject({
      status: 402, quota: 'runs_per_month', plan: 'two-runs', limit: 2, used: 2,
      resetsAt: new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)).toISOString(),
    });
    expect(refused.body.detail).toContain('runs_per_month');
    // A draft test run is a run too.
    const draft = await call('POST', '/v1/runs', { workflowId: org.workflowId, draft: true }, org.key);
    expect(draft.status).toBe(402);
    // The runs already started go on: a quota never stops a run half-way.
    const live = await call('GET', `/v1/runs/${first.body.runId}`, undefined, org.key);
    expect(['queued', 'running', 'waiting']).toContain(live.body.status);
  });

  it('answers 429 with Retry-After when the plan allows no more runs at once', async () => {
    await upsertPlan(p.db.pool, { id: 'one-at-once', name: 'One at once', runsPerMonth: null, stepSecondsPerMonth: null, concurrentRuns: 1 });
    const org = await orgOnPlan('one-at-once');
    expect((await call('POST', '/v1/runs', { workflowId: org.workflowId }, org.key)).status).toBe(202);
    const r = await fetch(`${p.url}/v1/runs`, { method: 'POST', headers: { authorization: `Bearer ${org.key}`, 'content-type': 'application/json' }, body: JSON.stringify({ workflowId: org.workflowId }) });
    expect(r.status).toBe(429);
    expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await r.json()).toMatchObject({ quota: 'concurrent_runs', limit: 1, used: 1, resetsAt: null });
  });
});

describe('Plan quotas for triggers', () => {
  it('answers a webhook sender 402 with the quota once the monthly runs are used, and logs the delivery as refused', async () => {
    await upsertPlan(p.db.pool, { id: 'one-run', name: 'One run', runsPerMonth: 1, stepSecondsPerMonth: null, concurrentRuns: null });
    const org = await orgOnPlan('one-run');
    const hook = await call('POST', `/v1/workflows/${org.workflowId}/webhooks`, { verification: { scheme: 'none' } }, org.key);
    expect(hook.status).toBe(201);
    const hooks = await startWebhooksService(p);
    try {
      expect((await hooks.deliver(hook.body.id, '{"n":1}', {})).status).toBe(202);
      const refused = await hooks.deliver(hook.body.id, '{"n":2}', {});
      expect(refused.status).toBe(402);
      expect(refused.body).toMatchObject({ quota: 'runs_per_month', limit: 1, used: 1, plan: 'one-run' });
      const log = await p.db.pool.query(`SELECT status, reason, http_status FROM webhook_deliveries WHERE webhook_id = $1 ORDER BY id`, [hook.body.id]);
      expect(log.rows).toEqual([
        { status: 'accepted', reason: null, http_status: 202 },
        { status: 'refused', reason: 'quota_exceeded', http_status: 402 },
      ]);
    } finally {
      await hooks.stop();
    }
  });
});

describe('Plan quotas for schedules', () => {
  it('records a schedule fire the plan refuses as skipped with the reason, and starts no run', async () => {
    await upsertPlan(p.db.pool, { id: 'no-runs', name: 'No runs', runsPerMonth: 0, stepSecondsPerMonth: null, concurrentRuns: null });
    const org = await orgOnPlan('no-runs');
    const created = await call('POST', `/v1/workflows/${org.workflowId}/schedules`, { cron: '* * * * *', timezone: 'UTC' }, org.key);
    expect(created.status).toBe(201);
    const due = new Date(created.body.nextRuns[0]);
    // The scheduler ticks by hand, with its `now` just after the first fire.
    await tickSchedules(p.db.pool, p.queues, { misfireGraceMs: 10_000, windowMs: 3_600_000, maxFires: 10, batch: 100, quotas: new QuotaGuard(p.db.pool) }, undefined, new Date(due.getTime() + 1000));
    const fires = await call('GET', `/v1/schedules/${created.body.id}/fires`, undefined, org.key);
    expect(fires.status).toBe(200);
    expect(fires.body.items).toHaveLength(1);
    expect(fires.body.items[0]).toMatchObject({ outcome: 'skipped', runId: null });
    expect(fires.body.items[0].reason).toContain('runs_per_month');
    const runs = await p.db.pool.query(`SELECT 1 FROM runs WHERE org_id = $1 AND trigger_type = 'schedule'`, [org.orgId]);
    expect(runs.rowCount).toBe(0);
  });
});
