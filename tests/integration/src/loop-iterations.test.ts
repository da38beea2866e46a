import { WeftApiError } from '@weft/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatform, type Platform } from './platform';

/**
 * GET /v1/runs/:id/steps/:stepId/iterations: what the studio shows of a for_each's items (issue 16,
 * "not reached in this run" on a body that ran three times). The pure steps go through the queue
 * here, so that every item runs as an iteration run.
 */
let p: Platform;
let workflowId: string;
beforeAll(async () => {
  p = await startPlatform({ inlinePureSteps: false });
  const wf = await p.client.createWorkflow({
    name: 'iterations',
    definition: {
      nodes: [
        { id: 't', type: 'trigger', config: {} },
        {
          id: 'each',
          type: 'for_each',
          config: {
            items: 'input.items',
            concurrency: 1,
            body: {
              nodes: [
                { id: 's', type: 'trigger', config: {} },
                { id: 'even', type: 'branch', config: { condition: 'item == `2`' } },
                { id: 'stop', type: 'terminate', config: { status: 'failed', message: 'two is not allowed' } },
                { id: 'double', type: 'transform', config: { expression: 'item' } },
              ],
              edges: [
                { source: 's', target: 'even' },
                { source: 'even', target: 'stop', sourceHandle: 'true' },
                { source: 'even', target: 'double', sourceHandle: 'false' },
              ],
            },
          },
        },
      ],
      edges: [{ source: 't', target: 'each' }],
    },
  });
  workflowId = wf.id;
  await p.client.publishVersion(wf.id);
}, 120_000);
afterAll(async () => p?.stop());

async function run(items: number[]) {
  const { runId } = await p.client.createRun({ workflowId, inputs: { items } });
  const r = await p.client.waitForRun(runId);
  return { run: r, loop: r.steps.find((s) => s.nodeId === 'each')! };
}

describe("A for_each step's iterations", () => {
  it('are listed in item order with their counts by status, page after page, and each opens as a run of the body', async () => {
    const { run: r, loop } = await run([1, 3, 5]);
    expect(r.status).toBe('succeeded');
    expect(loop.items).toEqual({ total: 3, started: 3, done: 3, failed: 0 });

    const first = await p.client.stepIterations(r.id, loop.id, { limit: 2 });
    expect(first.items.map((i) => [i.index, i.status])).toEqual([[0, 'succeeded'], [1, 'succeeded']]);
    expect(first.counts).toMatchObject({ succeeded: 3, failed: 0, running: 0 });
    expect(first.itemsTotal).toBe(3);
    expect(first.nextCursor).toBe('1');
    const rest = await p.client.stepIterations(r.id, loop.id, { limit: 2, cursor: first.nextCursor! });
    expect(rest.items.map((i) => i.index)).toEqual([2]);
    expect(rest.nextCursor).toBeNull();

    // An iteration is a run of the body: its steps are the body's nodes.
    const iteration = await p.client.getRun(rest.items[0]!.runId);
    expect(iteration.steps.find((s) => s.nodeId === 'double')).toMatchObject({ status: 'succeeded', output: 5 });
    expect(iteration.steps.find((s) => s.nodeId === 'stop')).toMatchObject({ status: 'skipped' });
  });

  it("name the failed item and its error, and filter by status", async () => {
    const { run: r, loop } = await run([2]);
    expect(r.status).toBe('failed');
    const page = await p.client.stepIterations(r.id, loop.id, { status: 'failed' });
    expect(page.counts.failed).toBe(1);
    expect(page.items).toHaveLength(1);
    expect(page.items[0]).toMatchObject({ index: 0, status: 'failed', error: expect.objectContaining({ message: expect.stringContaining('two is not allowed') }) });
    expect((await p.client.stepIterations(r.id, loop.id, { status: 'succeeded' })).items).toEqual([]);
  });

  it('are 404 for another org, for a step of another run, and 400 for a bad id', async () => {
    const a = await run([1]);
    const b = await run([3]);
    const other = await p.newOrgClient();
    await expect(other.stepIterations(a.run.id, a.loop.id)).rejects.toMatchObject({ status: 404 });
    await expect(p.client.stepIterations(b.run.id, a.loop.id)).rejects.toMatchObject({ status: 404 });
    const bad = await p.client.stepIterations(a.run.id, 'not-a-uuid').catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(WeftApiError);
    expect((bad as WeftApiError).status).toBe(400);
  });
});
