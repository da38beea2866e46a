import { WeftApiError } from '@weft/sdk';
import { startEchoServer, type EchoServer } from '@weft/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatform, type Platform } from './platform';

let platform: Platform;
let queued: Platform;
let echo: EchoServer;

beforeAll(async () => {
  [platform, queued, echo] = await Promise.all([startPlatform(), startPlatform({ inlinePureSteps: false }), startEchoServer()]);
});
afterAll(async () => {
  await platform?.stop();
  await queued?.stop();
  await echo?.close();
});

const chain = (url: string) => ({
  nodes: [
    { id: 'trigger', type: 'trigger', config: { inputSchema: { type: 'object', required: ['q'], properties: { q: { type: 'string' } } } } },
    { id: 'fetch', type: 'http_request', config: { method: 'POST', url: `${url}/echo?source=weft`, body: { query: '{{ input.q }}', note: 'q={{ input.q }}' } } },
    { id: 'names', type: 'transform', config: { expression: '{ q: steps.fetch.output.body.body.query, method: steps.fetch.output.body.method, status: steps.fetch.output.status }' } },
  ],
  edges: [
    { source: 'trigger', target: 'fetch' },
    { source: 'fetch', target: 'names' },
  ],
});

describe('A workflow run end to end through gateway, orchestrator, BullMQ and executor', () => {
  it.each([
    ['inline', () => platform],
    ['executor', () => queued],
  ])('runs trigger → http_request → transform to success with every step output and an ordered history (pure steps %s)', async (_mode, get) => {
    const { client } = get();
    const wf = await client.createWorkflow({ name: 'echo chain', definition: chain(echo.url) });
    const version = await client.publishVersion(wf.id);
    expect(version.version).toBe(1);

    const { runId } = await client.createRun({ workflowId: wf.id, inputs: { q: 'weft' } });
    const run = await client.waitForRun(runId);
    expect(run.status).toBe('succeeded');
    expect(run.workflowVersionId).toBe(version.id);
    expect(run.output).toEqual({ names: { q: 'weft', method: 'POST', status: 200 } });

    const byNode = Object.fromEntries(run.steps.map((s) => [s.nodeId, s]));
    expect(Object.keys(byNode).sort()).toEqual(['fetch', 'names', 'trigger']);
    expect(byNode.trigger!.output).toEqual({ q: 'weft' });
    const fetchOut = byNode.fetch!.output as { status: number; body: { body: unknown; query: unknown; headers: Record<string, string> } };
    expect(fetchOut.status).toBe(200);
    expect(fetchOut.body.body).toEqual({ query: 'weft', note: 'q=weft' });
    expect(fetchOut.body.query).toEqual({ source: 'weft' });
    expect(fetchOut.body.headers['idempotency-key']).toBe(`weft-${runId}-fetch`);
    for (const s of run.steps) {
      expect(s.status).toBe('succeeded');
      expect(s.attempt).toBe(1);
      expect(s.durationMs).toBeGreaterThanOrEqual(0);
    }

    const events = await client.allRunEvents(runId);
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    expect(events.map((e) => `${e.type}${e.nodeId ? `:${e.nodeId}` : ''}`)).toEqual([
      'run.created',
      'run.started',
      'step.dispatched:trigger',
      'step.succeeded:trigger',
      'step.dispatched:fetch',
      'step.succeeded:fetch',
      'step.dispatched:names',
      'step.succeeded:names',
      'run.succeeded',
    ]);
  });

  it('answers the same runId for a repeated idempotency key and 409 when the body differs', async () => {
    const { client } = platform;
    const wf = await client.createWorkflow({ name: 'idempotent', definition: chain(echo.url) });
    await client.publishVersion(wf.id);
    const first = await client.createRun({ workflowId: wf.id, inputs: { q: 'a' }, idempotencyKey: 'order-42' });
    const again = await client.createRun({ workflowId: wf.id, inputs: { q: 'a' }, idempotencyKey: 'order-42' });
    expect(again.runId).toBe(first.runId);
    const viaHeader = await client.createRun({ workflowId: wf.id, inputs: { q: 'a' } }, { idempotencyKey: 'order-42' });
    expect(viaHeader.runId).toBe(first.runId);
    const conflict = await client.createRun({ workflowId: wf.id, inputs: { q: 'b' }, idempotencyKey: 'order-42' }).catch((e) => e);
    expect(conflict).toBeInstanceOf(WeftApiError);
    expect(conflict.status).toBe(409);
    const concurrent = await Promise.all(
      Array.from({ length: 10 }, () => client.createRun({ workflowId: wf.id, inputs: { q: 'c' }, idempotencyKey: 'burst' })),
    );
    expect(new Set(concurrent.map((r) => r.runId)).size).toBe(1);
    const { items } = await client.listRuns({ workflowId: wf.id });
    expect(items).toHaveLength(2);
    expect((await client.waitForRun(first.runId)).status).toBe('succeeded');
  });

  it('runs parallel branches and joins them', async () => {
    const { client } = platform;
    const wf = await client.createWorkflow({
      name: 'fan-out',
      definition: {
        nodes: [
          { id: 't', type: 'trigger', config: {} },
          { id: 'a', type: 'transform', config: { expression: 'input.x' } },
          { id: 'b', type: 'transform', config: { expression: 'input.y' } },
          { id: 'c', type: 'transform', config: { expression: 'input.z' } },
          { id: 'sum', type: 'transform', config: { expression: 'sum([steps.a.output, steps.b.output, steps.c.output])' } },
        ],
        edges: [
          { source: 't', target: 'a' }, { source: 't', target: 'b' }, { source: 't', target: 'c' },
          { source: 'a', target: 'sum' }, { source: 'b', target: 'sum' }, { source: 'c', target: 'sum' },
        ],
        settings: { output: 'steps.sum.output' },
      },
    });
    await client.publishVersion(wf.id);
    const { runId } = await client.createRun({ workflowId: wf.id, inputs: { x: 1, y: 2, z: 3 } });
    const run = await client.waitForRun(runId);
    expect(run.status).toBe('succeeded');
    expect(run.output).toBe(6);
  });

  it('takes one side of a branch, skips the other, and runs the join after it', async () => {
    const { client } = platform;
    const wf = await client.createWorkflow({
      name: 'branch',
      definition: {
        nodes: [
          { id: 't', type: 'trigger', config: {} },
          { id: 'big', type: 'branch', config: { condition: 'input.amount > `100`' } },
          { id: 'approve', type: 'transform', config: { expression: "'manual review'" } },
          { id: 'auto', type: 'transform', config: { expression: "'auto'" } },
          { id: 'done', type: 'transform', config: { expression: '[steps.approve.output, steps.auto.output]' } },
        ],
        edges: [
          { source: 't', target: 'big' },
          { source: 'big', target: 'approve', sourceHandle: 'true' },
          { source: 'big', target: 'auto', sourceHandle: 'false' },
          { source: 'approve', target: 'done' },
          { source: 'auto', target: 'done' },
        ],
      },
    });
    await client.publishVersion(wf.id);
    const run = await client.waitForRun((await client.createRun({ workflowId: wf.id, inputs: { amount: 500 } })).runId);
    expect(run.status).toBe('succeeded');
    const status = Object.fromEntries(run.steps.map((s) => [s.nodeId, s.status]));
    expect(status).toEqual({ t: 'succeeded', big: 'succeeded', approve: 'succeeded', auto: 'skipped', done: 'succeeded' });
    expect(run.output).toEqual({ done: ['manual review', null] });
  });

  it('fails the run with the step error when an HTTP step gets a 4xx, without retrying it', async () => {
    const { client } = platform;
    const wf = await client.createWorkflow({
      name: 'fails',
      definition: {
        nodes: [
          { id: 't', type: 'trigger', config: {} },
          { id: 'call', type: 'http_request', config: { url: `${echo.url}/status/404`, retry: { maxAttempts: 3, initialDelayMs: 10 } } },
        ],
        edges: [{ source: 't', target: 'call' }],
      },
    });
    await client.publishVersion(wf.id);
    const run = await client.waitForRun((await client.createRun({ workflowId: wf.id })).runId);
    expect(run.status).toBe('failed');
    expect(run.error).toMatchObject({ code: 'http_error', nodeId: 'call' });
    const call = run.steps.filter((s) => s.nodeId === 'call');
    expect(call).toHaveLength(1);
    expect(call[0]!.error).toMatchObject({ code: 'http_error', retryable: false, details: { status: 404 } });
  });

  it('retries a 503 with backoff and keeps every attempt visible', async () => {
    const { client } = platform;
    const wf = await client.createWorkflow({
      name: 'flaky',
      definition: {
        nodes: [
          { id: 't', type: 'trigger', config: {} },
          { id: 'call', type: 'http_request', config: { url: `${echo.url}/flaky/2`, retry: { maxAttempts: 4, initialDelayMs: 20, maxDelayMs: 50 } } },
        ],
        edges: [{ source: 't', target: 'call' }],
      },
    });
    await client.publishVersion(wf.id);
    const run = await client.waitForRun((await client.createRun({ workflowId: wf.id })).runId);
    expect(run.status).toBe('succeeded');
    const attempts = run.steps.filter((s) => s.nodeId === 'call').map((s) => [s.attempt, s.status]);
    expect(attempts).toEqual([[1, 'failed'], [2, 'failed'], [3, 'succeeded']]);
  });
});
