import { startEchoServer, type EchoServer } from '@weft/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatform, type Platform } from './platform';

let p: Platform;
let echo: EchoServer;
beforeAll(async () => {
  [p, echo] = await Promise.all([startPlatform(), startEchoServer()]);
});
afterAll(async () => {
  await p?.stop();
  await echo?.close();
});

type Def = { nodes: unknown[]; edges: unknown[]; settings?: unknown };
async function publish(name: string, definition: Def) {
  const wf = await p.client.createWorkflow({ name, definition });
  const version = await p.client.publishVersion(wf.id);
  return { workflowId: wf.id, versionId: version.id };
}
async function run(workflowId: string, inputs: Record<string, unknown> = {}, timeoutMs = 30_000) {
  const { runId } = await p.client.createRun({ workflowId, inputs: inputs as never });
  return p.client.waitForRun(runId, { timeoutMs });
}
const t = { id: 't', type: 'trigger', config: {} };
const edge = (source: string, target: string, sourceHandle?: string) => ({ source, target, ...(sourceHandle ? { sourceHandle } : {}) });

describe('Engine semantics on the real pipeline', () => {
  it('waits on a durable delay and resumes with resumedAt', async () => {
    const { workflowId } = await publish('delay', {
      nodes: [t, { id: 'wait', type: 'delay', config: { durationMs: 300 } }, { id: 'after', type: 'transform', config: { expression: 'steps.wait.output.resumedAt' } }],
      edges: [edge('t', 'wait'), edge('wait', 'after')],
    });
    const started = Date.now();
    const r = await run(workflowId);
    expect(r.status).toBe('succeeded');
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect(typeof (r.output as { after: string }).after).toBe('string');
    const items = await p.client.allRunEvents(r.id);
    expect(items.map((e) => e.type)).toEqual(expect.arrayContaining(['timer.started', 'timer.fired']));
    expect(items.filter((e) => e.type === 'timer.fired')).toHaveLength(1);
  });

  it('waits until a templated time', async () => {
    const { workflowId } = await publish('delay-until', {
      nodes: [t, { id: 'wait', type: 'delay', config: { until: '{{ input.at }}' } }],
      edges: [edge('t', 'wait')],
    });
    const r = await run(workflowId, { at: new Date(Date.now() + 200).toISOString() });
    expect(r.status).toBe('succeeded');
    const bad = await run(workflowId, { at: 'next tuesday' });
    expect(bad.status).toBe('failed');
    expect(bad.error).toMatchObject({ code: 'invalid_until', nodeId: 'wait' });
  });

  it('runs a for_each over items with a multi-step body that branches, in item order', async () => {
    const { workflowId } = await publish('loop', {
      nodes: [
        t,
        {
          id: 'each', type: 'for_each',
          config: {
            items: 'input.orders', concurrency: 3,
            body: {
              nodes: [
                { id: 'start', type: 'trigger', config: {} },
                { id: 'big', type: 'branch', config: { condition: 'item.amount > `100`' } },
                { id: 'review', type: 'transform', config: { expression: "{ id: item.id, route: 'review', index: index }" } },
                { id: 'auto', type: 'transform', config: { expression: "{ id: item.id, route: 'auto', index: index }" } },
                { id: 'out', type: 'transform', config: { expression: 'steps.review.output || steps.auto.output' } },
              ],
              edges: [edge('start', 'big'), edge('big', 'review', 'true'), edge('big', 'auto', 'false'), edge('review', 'out'), edge('auto', 'out')],
            },
          },
        },
      ],
      edges: [edge('t', 'each')],
      settings: { output: 'steps.each.output' },
    });
    const orders = Array.from({ length: 12 }, (_, i) => ({ id: `o${i}`, amount: i * 20 }));
    const r = await run(workflowId, { orders });
    expect(r.status).toBe('succeeded');
    expect(r.output).toEqual(orders.map((o, i) => ({ id: o.id, route: o.amount > 100 ? 'review' : 'auto', index: i })));
    const { items: listed } = await p.client.listRuns({ workflowId });
    expect(listed.map((x) => x.id)).toEqual([r.id]); // iterations are not listed as runs
  });

  it('honours for_each concurrency', async () => {
    const before = echo.requests.length;
    const { workflowId } = await publish('loop-concurrency', {
      nodes: [t, {
        id: 'each', type: 'for_each',
        config: { items: 'input.ids', concurrency: 2, body: { nodes: [{ id: 's', type: 'trigger', config: {} }, { id: 'call', type: 'http_request', config: { url: `${echo.url}/delay/150?i={{ item }}` } }], edges: [edge('s', 'call')] } },
      }],
      edges: [edge('t', 'each')],
    });
    const r = await run(workflowId, { ids: [0, 1, 2, 3, 4, 5] });
    expect(r.status).toBe('succeeded');
    const calls = echo.requests.slice(before);
    expect(calls).toHaveLength(6);
    // With 2 at a time, 6 calls of 150 ms need at least 3 rounds.
    const step = r.steps.find((s) => s.nodeId === 'each')!;
    expect(step.durationMs!).toBeGreaterThanOrEqual(3 * 150);
  });

  it('fails a for_each when an item fails and names the index', async () => {
    const { workflowId } = await publish('loop-fail', {
      nodes: [t, {
        id: 'each', type: 'for_each',
        config: { items: 'input.codes', concurrency: 1, body: { nodes: [{ id: 's', type: 'trigger', config: {} }, { id: 'call', type: 'http_request', config: { url: `${echo.url}/status/{{ item }}` } }], edges: [edge('s', 'call')] } },
      }],
      edges: [edge('t', 'each')],
    });
    const r = await run(workflowId, { codes: [200, 200, 404, 200] });
    expect(r.status).toBe('failed');
    const step = r.steps.find((s) => s.nodeId === 'each')!;
    expect(step.error).toMatchObject({ code: 'item_failed', details: { index: 2 } });
    expect(step.error!.message).toContain('item 2');
  });

  it('handles an empty for_each', async () => {
    const { workflowId } = await publish('loop-empty', {
      nodes: [t, { id: 'each', type: 'for_each', config: { items: 'input.xs', body: { nodes: [{ id: 's', type: 'trigger', config: {} }], edges: [] } } }],
      edges: [edge('t', 'each')],
    });
    const r = await run(workflowId, { xs: [] });
    expect(r.status).toBe('succeeded');
    expect(r.output).toEqual({ each: [] });
  });

  it('runs a sub-workflow, links parent and child, and returns its output', async () => {
    const child = await publish('child', {
      nodes: [t, { id: 'double', type: 'transform', config: { expression: 'input.n * `2`' } }],
      edges: [edge('t', 'double')],
      settings: { output: 'steps.double.output' },
    });
    const { workflowId } = await publish('parent', {
      nodes: [t, { id: 'sub', type: 'sub_workflow', config: { workflowId: child.workflowId, input: { n: '{{ input.n }}' } } }],
      edges: [edge('t', 'sub')],
      settings: { output: 'steps.sub.output' },
    });
    const r = await run(workflowId, { n: 21 });
    expect(r.status).toBe('succeeded');
    expect(r.output).toBe(42);
    const childRuns = await p.client.listRuns({ workflowId: child.workflowId });
    expect(childRuns.items).toHaveLength(1);
    expect(childRuns.items[0]!.parentRunId).toBe(r.id);
    const sub = r.steps.find((s) => s.nodeId === 'sub')!;
    expect((sub as unknown as { input: { childRunId: string } }).input?.childRunId ?? childRuns.items[0]!.id).toBe(childRuns.items[0]!.id);
  });

  it('fails the sub_workflow node when the child fails', async () => {
    const child = await publish('failing-child', {
      nodes: [t, { id: 'boom', type: 'http_request', config: { url: `${echo.url}/status/400` } }],
      edges: [edge('t', 'boom')],
    });
    const { workflowId } = await publish('parent-of-failing', {
      nodes: [t, { id: 'sub', type: 'sub_workflow', config: { workflowId: child.workflowId } }],
      edges: [edge('t', 'sub')],
    });
    const r = await run(workflowId);
    expect(r.status).toBe('failed');
    expect(r.error).toMatchObject({ code: 'sub_workflow_failed', nodeId: 'sub' });
  });

  it('ends the run at a terminate node with its status and rendered message', async () => {
    const { workflowId } = await publish('terminate', {
      nodes: [
        t,
        { id: 'valid', type: 'branch', config: { condition: 'input.qty > `0`' } },
        { id: 'stop', type: 'terminate', config: { status: 'failed', message: 'order {{ input.id }} has no items' } },
        { id: 'ship', type: 'transform', config: { expression: "'shipped'" } },
      ],
      edges: [edge('t', 'valid'), edge('valid', 'ship', 'true'), edge('valid', 'stop', 'false')],
    });
    const bad = await run(workflowId, { id: 'A7', qty: 0 });
    expect(bad.status).toBe('failed');
    expect(bad.error).toMatchObject({ code: 'terminated', message: 'order A7 has no items', nodeId: 'stop' });
    const good = await run(workflowId, { id: 'A8', qty: 2 });
    expect(good.status).toBe('succeeded');
  });

  it('enforces a node timeout and the run timeout', async () => {
    const { workflowId } = await publish('slow-node', {
      nodes: [t, { id: 'slow', type: 'http_request', config: { url: `${echo.url}/delay/3000`, timeoutMs: 200 } }],
      edges: [edge('t', 'slow')],
    });
    const r = await run(workflowId);
    expect(r.status).toBe('failed');
    expect(r.steps.find((s) => s.nodeId === 'slow')!.error).toMatchObject({ code: 'timeout', retryable: true });

    const { workflowId: w2 } = await publish('slow-run', {
      nodes: [t, { id: 'wait', type: 'delay', config: { durationMs: 60_000 } }],
      edges: [edge('t', 'wait')],
      settings: { timeoutMs: 300 },
    });
    const r2 = await run(w2);
    expect(r2.status).toBe('failed');
    expect(r2.error).toMatchObject({ code: 'run_timeout' });
    expect(r2.steps.find((s) => s.nodeId === 'wait')!.status).toBe('cancelled');
  });

  it('takes the rejected path when an approval times out', async () => {
    const { workflowId } = await publish('approval-timeout', {
      nodes: [
        t,
        { id: 'ok', type: 'wait_for_approval', config: { prompt: 'Pay {{ input.amount }}?', timeoutMs: 200 } },
        { id: 'paid', type: 'transform', config: { expression: "'paid'" } },
        { id: 'dropped', type: 'transform', config: { expression: "'dropped'" } },
      ],
      edges: [edge('t', 'ok'), edge('ok', 'paid', 'approved'), edge('ok', 'dropped', 'rejected')],
    });
    const r = await run(workflowId, { amount: 5 });
    expect(r.status).toBe('succeeded');
    expect(r.output).toEqual({ dropped: 'dropped' });
    expect(r.steps.find((s) => s.nodeId === 'paid')!.status).toBe('skipped');
  });
});
