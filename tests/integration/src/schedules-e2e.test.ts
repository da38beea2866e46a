import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatform, type Platform } from './platform';

// The whole pipeline with the orchestrator's own scheduler ticking (every 200 ms): a schedule
// firing every second starts runs that execute to the end. Waits poll for a state, never a duration.
let p: Platform;
beforeAll(async () => {
  p = await startPlatform({ scheduler: { intervalMs: 200, misfireGraceMs: 10_000, windowMs: 3_600_000, maxFires: 100 } });
});
afterAll(async () => {
  await p?.stop();
});

async function until<T>(what: string, check: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 600; i++) {
    const v = await check();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`gave up waiting for ${what}`);
}

describe('A schedule on a running platform', () => {
  it('starts runs that succeed, tagged schedule; their sub_workflow children are tagged sub_workflow with the parent as triggerId', async () => {
    const child = await p.client.createWorkflow({ name: 'child' });
    await p.client.publishVersion(child.id, { nodes: [{ id: 't', type: 'trigger', config: {} }, { id: 'x', type: 'transform', config: { expression: 'input' } }], edges: [{ source: 't', target: 'x' }] });
    const parent = await p.client.createWorkflow({ name: 'parent' });
    await p.client.publishVersion(parent.id, {
      nodes: [{ id: 't', type: 'trigger', config: {} }, { id: 'sub', type: 'sub_workflow', config: { workflowId: child.id, input: { from: '{{ input.who }}' } } }],
      edges: [{ source: 't', target: 'sub' }],
    });
    const s = await p.client.createSchedule(parent.id, { cron: '* * * * * *', timezone: 'UTC', inputs: { who: 'cron' } });

    const runs = await until('two succeeded scheduled runs', async () => {
      const page = await p.client.listRuns({ workflowId: parent.id, triggerType: 'schedule', status: 'succeeded' });
      return page.items.length >= 2 ? page.items : undefined;
    });
    await p.client.updateSchedule(s.id, { enabled: false });
    for (const r of runs) expect(r).toMatchObject({ triggerType: 'schedule', triggerId: s.id, inputs: { who: 'cron' } });

    const children = (await p.client.listRuns({ workflowId: child.id, limit: 200 })).items;
    const ofFirst = children.find((c) => c.parentRunId === runs[0]!.id);
    expect(ofFirst).toMatchObject({ triggerType: 'sub_workflow', triggerId: runs[0]!.id, inputs: { from: 'cron' } });
    expect((await p.client.listRuns({ triggerType: 'sub_workflow', limit: 200 })).items.map((c) => c.id)).toContain(ofFirst!.id);

    // Every fire that started a run names it, one per nominal time.
    const fires = (await p.client.call<{ items: { nominalTime: string; runId: string | null; outcome: string }[] }>('GET', `/v1/schedules/${s.id}/fires?limit=200`)).items;
    expect(new Set(fires.map((f) => f.nominalTime)).size).toBe(fires.length);
    for (const r of runs) expect(fires.map((f) => f.runId)).toContain(r.id);
  });
});
