import { readFileSync } from 'node:fs';
import { registerOutboxMetrics, startWorkerOps, type WorkerOps } from '@weft/metrics';
import { QUEUES } from '@weft/queue';
import { startEchoServer, type EchoServer } from '@weft/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatform, type Platform } from './platform';
import { families, sample } from './prom-text';
import { startWebhooksService, type WebhooksService } from './webhooks-service';

const ROOT = new URL('../../../', import.meta.url);

let p: Platform;
let echo: EchoServer;
let hooks: WebhooksService;
let ops: WorkerOps;
beforeAll(async () => {
  [p, echo] = await Promise.all([startPlatform({ breakerFailures: 2 }), startEchoServer()]);
  hooks = await startWebhooksService(p);
  // What the orchestrator's operations port serves (services/orchestrator/src/main.ts).
  ops = await startWorkerOps({ service: 'orchestrator', port: 0, host: '127.0.0.1', pool: p.db.pool, redis: p.queues.connection, queues: Object.values(QUEUES).map((q) => p.queues.queue(q)) });
  registerOutboxMetrics(ops.registry, p.db.pool);
});
afterAll(async () => {
  await ops?.close();
  await hooks?.stop();
  await p?.stop();
  await echo?.close();
});

/** Runs a one-step workflow calling `url` to its end; the run's status. */
async function runHttp(url: string): Promise<string> {
  const wf = await p.client.createWorkflow({
    name: `metrics ${url}`,
    definition: { nodes: [{ id: 't', type: 'trigger', config: {} }, { id: 'h', type: 'http_request', config: { url } }], edges: [{ source: 't', target: 'h' }] },
  });
  await p.client.publishVersion(wf.id);
  return (await p.client.waitForRun((await p.client.createRun({ workflowId: wf.id, inputs: {} })).runId)).status;
}

const scrape = async (url: string) => (await fetch(`${url}/metrics`)).text();

describe('Run, step and breaker metrics (one process: every registry shows the same counts)', () => {
  it('counts runs started by trigger type, runs finished by status with their duration, and steps by node type and outcome', async () => {
    expect(await runHttp(`${echo.url}/items`)).toBe('succeeded');
    expect(await runHttp(`${echo.url}/status/404`)).toBe('failed');
    const body = await scrape(p.url);
    expect(sample(body, 'weft_runs_started_total', { trigger_type: 'api' })).toBe(2);
    expect(sample(body, 'weft_runs_finished_total', { status: 'succeeded', kind: 'run' })).toBe(1);
    expect(sample(body, 'weft_runs_finished_total', { status: 'failed', kind: 'run' })).toBe(1);
    expect(sample(body, 'weft_run_duration_seconds_count', { status: 'succeeded' })).toBe(1);
    expect(sample(body, 'weft_run_duration_seconds_bucket', { status: 'failed', le: '+Inf' })).toBe(1);
    expect(sample(body, 'weft_step_duration_seconds_count', { node_type: 'http_request', status: 'succeeded' })).toBe(1);
    expect(sample(body, 'weft_step_duration_seconds_count', { node_type: 'http_request', status: 'failed' })).toBe(1);
    // Label sets stay bounded: no run, step or org id, no URL.
    expect(body).not.toMatch(/run_id|step_id|org_id|127\.0\.0\.1/);
  });

  it("counts a host's circuit opening, its half-open trial and its closing", async () => {
    const bad = `${echo.url}/status/503`;
    expect(await runHttp(bad)).toBe('failed');
    expect(await runHttp(bad)).toBe('failed'); // the second failure opens the circuit
    let body = await scrape(p.url);
    expect(sample(body, 'weft_circuit_breaker_transitions_total', { to: 'open' })).toBe(1);
    expect(sample(body, 'weft_circuit_breaker_transitions_total', { to: 'half_open' })).toBeUndefined();
    await new Promise((r) => setTimeout(r, 600)); // the platform's cool-down is 500 ms
    expect(await runHttp(`${echo.url}/items`)).toBe('succeeded');
    body = await scrape(p.url);
    expect(sample(body, 'weft_circuit_breaker_transitions_total', { to: 'half_open' })).toBe(1);
    expect(sample(body, 'weft_circuit_breaker_transitions_total', { to: 'closed' })).toBe(1);
  });

  it('reports the outbox lag of rows not yet published', async () => {
    const { rows } = await p.db.pool.query<{ id: string }>(
      `INSERT INTO outbox (org_id, queue, job_name, job_id, payload, created_at) VALUES (NULL, 'orchestrator', 'advance-run', 'metrics-probe', '{}', now() - interval '90 seconds') RETURNING id`,
    );
    try {
      const body = await scrape(`http://127.0.0.1:${ops.port}`);
      expect(sample(body, 'weft_outbox_lag_seconds', { service: 'orchestrator' })).toBeGreaterThanOrEqual(90);
      expect(sample(body, 'weft_outbox_rows', { service: 'orchestrator' })).toBeGreaterThanOrEqual(1);
    } finally {
      await p.db.pool.query('DELETE FROM outbox WHERE id = $1', [rows[0]!.id]);
    }
  });
});

describe('The Grafana dashboard and the metrics reference', () => {
  it('query only metrics the services expose, and the reference documents every one of them', async () => {
    const exposed = new Set([...families(await scrape(p.url)), ...families(await scrape(hooks.url)), ...families(await scrape(`http://127.0.0.1:${ops.port}`))]);
    const dashboard = JSON.parse(readFileSync(new URL('deploy/grafana/weft-dashboard.json', ROOT), 'utf8')) as { panels: { title: string; targets?: { expr: string }[] }[] };
    const queried = new Set(dashboard.panels.flatMap((panel) => (panel.targets ?? []).flatMap((t) => [...t.expr.matchAll(/\bweft_[a-z0-9_]+/g)].map((m) => m[0].replace(/_(bucket|count|sum)$/, '')))));
    expect(queried.size).toBeGreaterThan(15);
    for (const name of queried) expect(exposed, `the dashboard queries ${name}`).toContain(name);

    const reference = readFileSync(new URL('docs/operating/metrics.md', ROOT), 'utf8');
    const documented = new Set([...reference.matchAll(/`(weft_[a-z0-9_]+)`/g)].map((m) => m[1]!));
    // Node's default metrics (weft_process_*, weft_nodejs_*) are documented as a family.
    const ours = [...exposed].filter((n) => !/^weft_(process|nodejs)_/.test(n));
    for (const name of ours) expect(documented, `docs/operating/metrics.md documents ${name}`).toContain(name);
    for (const name of documented) expect(exposed, `docs/operating/metrics.md names ${name}`).toContain(name);
  });
});
