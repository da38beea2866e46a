import { weftMetrics } from '@weft/metrics';
import { reconcileOnce, type ReconcileCursor } from '@weft/orchestrator';
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
/** Runs the reconciler re-published in this process, as weft_reconciler_actions_total counts them. */
const republished = async () => (await weftMetrics.reconcilerActions.get()).values.find((v) => v.labels.action === 'run_republished')?.value ?? 0;
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
    const before = await republished();
    expect(await reconcileOnce(p.db.pool, p.queues, 30_000)).toBe(1);
    expect(await republished()).toBe(before + 1);
    expect((await orchestratorJobs()).filter((id) => id.includes(runId))).toEqual([expect.stringMatching(new RegExp(`^reconcile\\.${runId}\\.\\d+$`))]);
  });
});

describe('Reconciler: queued steps', () => {
  const executor = () => p.queues.queue('executor');
  /** A run with a step `queued` for a minute, as an executor backlog or a lost job leaves it. */
  async function queuedStep(fence = 0): Promise<{ runId: string; stepId: string }> {
    const { runId } = await p.client.createRun({ workflowId, inputs: {} });
    const stepId = crypto.randomUUID();
    await p.db.pool.query(
      `INSERT INTO run_steps (id, org_id, run_id, node_id, node_type, attempt, status, fence, available_at)
       VALUES ($1, $2, $3, 'x', 'transform', 1, 'queued', $4, now() - interval '1 minute')`,
      [stepId, p.orgId, runId, fence],
    );
    return { runId, stepId };
  }

  it('re-delivers a queued step whose job survived a partial loss of Redis as a hash that no BullMQ list holds', async () => {
    const { runId, stepId } = await queuedStep();
    const jobId = `step.${stepId}.0`;
    await p.queues.publish([{ name: 'execute-step', jobId, payload: { stepId, runId } }]);
    // The loss took the wait list but not the job's hash: BullMQ never delivers the job, and
    // ignores an add with its id as a duplicate.
    await p.queues.connection.del(executor().keys.wait!);
    expect(await executor().getJobState(jobId)).toBe('unknown');
    expect(await executor().getJob(jobId)).toBeDefined();

    await reconcileOnce(p.db.pool, p.queues, 30_000);
    expect(await executor().getJobState(jobId)).toBe('waiting');
  });

  it('re-delivers a re-queued step (fence > 0) with the job id of its fence and leaves it alone while that job waits', async () => {
    const { stepId } = await queuedStep(2);
    await reconcileOnce(p.db.pool, p.queues, 30_000);
    expect(await executor().getJobState(`step.${stepId}.2`)).toBe('waiting');

    // Its job waits (a backlog): no other job delivers the step a second time.
    await reconcileOnce(p.db.pool, p.queues, 30_000);
    const ids = (await executor().getJobs(['waiting', 'delayed', 'prioritized'])).map((j) => j.id).filter((id) => id?.includes(stepId));
    expect(ids).toEqual([`step.${stepId}.2`]);
  });

  it('reaches every lost run when there are more candidates than one pass looks at', async () => {
    const runIds: string[] = [];
    for (let i = 0; i < 5; i++) runIds.push((await p.client.createRun({ workflowId, inputs: { i } })).runId);
    for (const runId of runIds) {
      await idle(runId);
      await (await p.queues.queue('orchestrator').getJob(`run.${runId}.start`))!.remove();
    }
    // Two candidates a pass: each pass goes on where the last one stopped, then starts over.
    const cursor: ReconcileCursor = {};
    for (let pass = 0; pass < 6; pass++) await reconcileOnce(p.db.pool, p.queues, 30_000, undefined, 2, cursor);
    const jobs = await orchestratorJobs();
    for (const runId of runIds) expect(jobs.some((id) => id.startsWith(`reconcile.${runId}.`))).toBe(true);
  });
});
