import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatform, type Platform } from './platform';

let p: Platform;
beforeAll(async () => {
  // The reconciler would repair a lost wake-up: here (the platform's default) it would take ten
  // minutes, so a run that waits for it fails the test instead of passing late.
  p = await startPlatform({ reconcileAfterMs: 600_000 });
});
afterAll(async () => {
  await p?.stop();
});

const edge = (source: string, target: string) => ({ source, target });

async function runOf(name: string, expression: string) {
  const wf = await p.client.createWorkflow({
    name,
    definition: { nodes: [{ id: 't', type: 'trigger', config: {} }, { id: 'x', type: 'transform', config: { expression } }], edges: [edge('t', 'x')] },
  });
  await p.client.publishVersion(wf.id);
  const { runId } = await p.client.createRun({ workflowId: wf.id, inputs: {} });
  return p.client.waitForRun(runId, { timeoutMs: 30_000, intervalMs: 50 });
}

describe('A pure step that fails inside a transition ends the run in that transition', () => {
  it('fails the run of a transform past the string budget without waiting for the reconciler', async () => {
    const run = await runOf('budget', "length(split(pad_left('a', `5000000`, 'x'), ''))");
    expect(run.status).toBe('failed');
    expect(run.error).toMatchObject({ code: 'budget_exceeded', nodeId: 'x' });
    expect(run.steps.find((s) => s.nodeId === 'x')).toMatchObject({ status: 'failed', error: { code: 'budget_exceeded' } });
  });

  it('fails the run of a transform whose expression errors at run time, and records the failure as an event', async () => {
    const run = await runOf('type-error', 'abs(`"text"`)');
    expect(run.status).toBe('failed');
    expect(run.error).toMatchObject({ code: 'expression_error', nodeId: 'x' });
    const events = await p.client.allRunEvents(run.id);
    expect(events.map((e) => e.type)).toEqual(['run.created', 'run.started', 'step.dispatched', 'step.succeeded', 'step.failed', 'run.failed']);
  });
});
