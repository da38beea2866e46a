import { startEchoServer, type EchoServer } from '@weft/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatform, type Platform } from './platform';

let p: Platform;
let echo: EchoServer;
beforeAll(async () => {
  [p, echo] = await Promise.all([startPlatform({ executorConcurrency: 32 }), startEchoServer()]);
});
afterAll(async () => {
  await p?.stop();
  await echo?.close();
});

const edge = (source: string, target: string, sourceHandle?: string) => ({ source, target, ...(sourceHandle ? { sourceHandle } : {}) });

describe('Many runs at once', () => {
  it('runs 50 concurrent runs with a branch, a 3-way fan-out and join, a 1,000-item for_each and a delay, all correct', async () => {
    const definition = {
      nodes: [
        { id: 't', type: 'trigger', config: {} },
        { id: 'valid', type: 'branch', config: { condition: 'length(input.items) > `0`' } },
        { id: 'reject', type: 'transform', config: { expression: "'no items'" } },
        { id: 'min', type: 'transform', config: { expression: 'min(input.items)' } },
        { id: 'max', type: 'transform', config: { expression: 'max(input.items)' } },
        { id: 'count', type: 'transform', config: { expression: 'length(input.items)' } },
        { id: 'stats', type: 'transform', config: { expression: '{ min: steps.min.output, max: steps.max.output, count: steps.count.output }' } },
        { id: 'each', type: 'for_each', config: { items: 'input.items', concurrency: 20, body: {
          nodes: [{ id: 's', type: 'trigger', config: {} }, { id: 'double', type: 'transform', config: { expression: 'item * `2`' } }],
          edges: [edge('s', 'double')],
        } } },
        { id: 'pause', type: 'delay', config: { durationMs: 200 } },
        { id: 'done', type: 'transform', config: { expression: '{ run: input.run, stats: steps.stats.output, doubledSum: sum(steps.each.output), first: steps.each.output[0], last: steps.each.output[-1] }' } },
      ],
      edges: [
        edge('t', 'valid'), edge('valid', 'reject', 'false'),
        edge('valid', 'min', 'true'), edge('valid', 'max', 'true'), edge('valid', 'count', 'true'),
        edge('min', 'stats'), edge('max', 'stats'), edge('count', 'stats'),
        edge('stats', 'each'), edge('each', 'pause'), edge('pause', 'done'),
      ],
      settings: { output: 'steps.done.output' },
    };
    const wf = await p.client.createWorkflow({ name: 'load', definition });
    await p.client.publishVersion(wf.id);
    const runs = await Promise.all(
      Array.from({ length: 50 }, (_, run) => {
        const items = Array.from({ length: 1000 }, (_, i) => i + run);
        return p.client.createRun({ workflowId: wf.id, inputs: { run, items } }).then(({ runId }) => ({ runId, run, items }));
      }),
    );
    const finished = await Promise.all(runs.map((r) => p.client.waitForRun(r.runId, { timeoutMs: 180_000, intervalMs: 250 })));
    finished.forEach((f, i) => {
      const { run, items } = runs[i]!;
      expect(f.status).toBe('succeeded');
      expect(f.output).toEqual({
        run,
        stats: { min: run, max: run + 999, count: 1000 },
        doubledSum: items.reduce((a, b) => a + 2 * b, 0),
        first: 2 * run,
        last: 2 * (run + 999),
      });
      expect(f.steps.find((s) => s.nodeId === 'reject')!.status).toBe('skipped');
    });
  });

  it('runs a for_each through durable iteration runs with an HTTP body, never more than its concurrency at once', async () => {
    const wf = await p.client.createWorkflow({
      name: 'iterations',
      definition: {
        nodes: [
          { id: 't', type: 'trigger', config: {} },
          { id: 'each', type: 'for_each', config: { items: 'input.ids', concurrency: 5, body: {
            nodes: [
              { id: 's', type: 'trigger', config: {} },
              { id: 'even', type: 'branch', config: { condition: 'index % `2` == `0`' } },
              { id: 'call', type: 'http_request', config: { url: `${echo.url}/delay/20?id={{ item }}` } },
              { id: 'skipped', type: 'transform', config: { expression: "'odd'" } },
              { id: 'out', type: 'transform', config: { expression: 'steps.call.output.body.query.id || steps.skipped.output' } },
            ],
            edges: [edge('s', 'even'), edge('even', 'call', 'true'), edge('even', 'skipped', 'false'), edge('call', 'out'), edge('skipped', 'out')],
          } } },
        ],
        edges: [edge('t', 'each')],
        settings: { output: 'steps.each.output' },
      },
    });
    await p.client.publishVersion(wf.id);
    const ids = Array.from({ length: 60 }, (_, i) => `id${i}`);
    const { runId } = await p.client.createRun({ workflowId: wf.id, inputs: { ids } });
    const r = await p.client.waitForRun(runId, { timeoutMs: 120_000 });
    expect(r.status).toBe('succeeded');
    expect(r.output).toEqual(ids.map((id, i) => (i % 2 === 0 ? id : 'odd')));
    expect(echo.maxInFlight()).toBeLessThanOrEqual(5);
    expect(echo.maxInFlight()).toBeGreaterThan(1);
  });
});
