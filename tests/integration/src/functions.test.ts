import { RunBus, type LiveEvent } from '@weft/run-store';
import { createRedis } from '@weft/queue';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatform, type Platform } from './platform';

let p: Platform;
beforeAll(async () => {
  p = await startPlatform();
});
afterAll(async () => {
  await p?.stop();
});

async function callFn(config: Record<string, unknown>, inputs: Record<string, unknown> = {}) {
  const wf = await p.client.createWorkflow({
    name: 'fn',
    definition: { nodes: [{ id: 't', type: 'trigger', config: {} }, { id: 'f', type: 'function', config }], edges: [{ source: 't', target: 'f' }] },
  });
  await p.client.publishVersion(wf.id);
  const { runId } = await p.client.createRun({ workflowId: wf.id, inputs: inputs as never });
  return { runId, done: p.client.waitForRun(runId).then((run) => ({ run, step: run.steps.find((s) => s.nodeId === 'f')! })) };
}

describe('Registered functions', () => {
  it('lists the registered functions with their argument schemas', async () => {
    const list = await p.client.call<{ name: string; argsSchema: { properties: Record<string, unknown> } }[]>('GET', '/v1/catalog/functions');
    const slugify = list.find((f) => f.name === 'slugify')!;
    expect(Object.keys(slugify.argsSchema.properties)).toEqual(['text', 'maxLength']);
  });

  it('calls a function with rendered, validated arguments', async () => {
    const { done } = await callFn({ name: 'slugify', args: { text: '{{ input.title }}' } }, { title: 'Héllo, Wörld — 2026!' });
    const { run, step } = await done;
    expect(run.status).toBe('succeeded');
    expect(step.output).toBe('hello-world-2026');
  });

  it('fails the step naming the bad argument, and names an unknown function', async () => {
    const bad = await (await callFn({ name: 'slugify', args: { text: 'x', maxLength: 0 } })).done;
    expect(bad.step.error).toMatchObject({ code: 'invalid_input', retryable: false });
    expect(bad.step.error!.message).toContain('args.maxLength');
    const unknown = await (await callFn({ name: 'teleport', args: {} })).done;
    expect(unknown.step.error).toMatchObject({ code: 'unknown_function', retryable: false });
  });

  it('sends progress to the live run view', async () => {
    const sub = createRedis(p.redisUrl, 'client');
    const events: LiveEvent[] = [];
    const wf = await p.client.createWorkflow({
      name: 'progress',
      definition: {
        nodes: [{ id: 't', type: 'trigger', config: {} }, { id: 'wait', type: 'delay', config: { durationMs: 300 } }, { id: 'f', type: 'function', config: { name: 'chunk_sum', args: { values: '{{ input.values }}', chunkSize: 10 } } }],
        edges: [{ source: 't', target: 'wait' }, { source: 'wait', target: 'f' }],
      },
    });
    await p.client.publishVersion(wf.id);
    const { runId } = await p.client.createRun({ workflowId: wf.id, inputs: { values: Array.from({ length: 50 }, (_, i) => i) } });
    const stop = await RunBus.subscribeRun(sub, p.prefix, runId, (e) => events.push(...e));
    const run = await p.client.waitForRun(runId);
    await stop();
    sub.disconnect();
    expect(run.output).toEqual({ f: { total: 1225, count: 50 } });
    const progress = events.filter((e) => e.type === 'step.progress').map((e) => e.data);
    expect(progress).toEqual([10, 20, 30, 40, 50].map((done) => ({ done, of: 50 })));
  });
});
