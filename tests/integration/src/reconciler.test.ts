import { reconcileOnce } from '@weft/orchestrator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatform, type Platform } from './platform';

// The gateway alone (no orchestrator consumes the queue): runs wait in Redis as behind a backlog.
let p: Platform;
let workflowId: string;
beforeAll(async () => {
  p = await startPlatform({ workers: false });
  const wf = await p.client.createWorkflow({
    name: 'reconcile',
    definition: { nodes: [{ id: 't', type: 'trigger', config: {} }, { id: 'x', type: 'transform', config: { expression: 'input' } }], edges: [{ source: 't', target: 'x' }] },
  });
  await p.client.publishVersion(wf.id);
  workflowId = wf.id;
});
afterAll(async () => {
  await p?.stop();
});

const orchestratorJobs = async () => (await p.queues.queue('orchestrator').getJobs(['waiting', 'delayed', 'prioritized'])).map((j) => j.id!);
/** Makes the run look idle for a minute, as a run waiting behind a deep backlog does. */
const idle = (runId: string) => p.db.pool.query(`UPDATE runs SET updated_at = now() - interval '1 minute' WHERE id = $1`, [runId]);

describe('Reconciler', () => {
  it('leaves a run alone while its start job still waits in Redis, and re-publishes it once the job is gone', async () => {
    const { runId } = await p.client.createRun({ workflowId, inputs: {} });
    await idle(runId);
    expect(await orchestratorJobs()).toContain(`run.${runId}.start`);

    // Behind a backlog: the job is there, nothing is added.
    expect(await reconcileOnce(p.db.pool, p.queues, 30_000)).toBe(0);
    expect((await orchestratorJobs()).filter((id) => id.includes(runId))).toEqual([`run.${runId}.start`]);

    // Lost (Redis flushed, a crash): it is published again.
    await (await p.queues.queue('orchestrator').getJob(`run.${runId}.start`))!.remove();
    expect(await reconcileOnce(p.db.pool, p.queues, 30_000)).toBe(1);
    expect((await orchestratorJobs()).filter((id) => id.includes(runId))).toEqual([expect.stringMatching(new RegExp(`^reconcile\\.${runId}\\.\\d+$`))]);
  });
});
