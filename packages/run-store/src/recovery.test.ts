import { describe, expect, it } from 'vitest';
import { seedRun, seedStep, seedWorkflow, stepRow, useSeededDatabase } from '../test/seed';
import { dueWakeUps, failLostSteps, idleRunCandidates, requeueLostSteps, staleQueuedSteps, timeOutSteps } from './recovery';
import { withTx } from './sql';

const t = useSeededDatabase();

const MIN_UUID = '00000000-0000-0000-0000-000000000000';
const EXPIRED = "now() - interval '1 minute'";
const LEASED = "now() + interval '1 minute'";

describe('lost steps (expired lease)', () => {
  it('re-queues a step under the loss cap as the same attempt with a new fence, fails one at the cap with worker_lost, and leaves a leased step alone', async () => {
    const runId = await seedRun(t.pool, t.wf, 'running');
    const lost = await seedStep(t.pool, t.wf, runId, 'lost', 'running', { fence: '1', losses: '0', lease_expires_at: EXPIRED });
    const poison = await seedStep(t.pool, t.wf, runId, 'poison', 'running', { fence: '4', losses: '3', lease_expires_at: EXPIRED });
    const alive = await seedStep(t.pool, t.wf, runId, 'alive', 'running', { fence: '1', lease_expires_at: LEASED });
    const w = { graceMs: 1000, limit: 100, maxLosses: 3 };
    const { requeued, failed } = await withTx(t.pool, async (c) => ({ requeued: await requeueLostSteps(c, w), failed: await failLostSteps(c, w) }));
    expect(requeued.steps.map((s) => [s.id, s.losses])).toEqual([[lost, 1]]);
    expect(requeued.jobs.map((j) => j.jobId)).toEqual([`step.${lost}.2`]);
    expect(failed.steps.map((s) => [s.id, s.losses])).toEqual([[poison, 4]]);
    expect(failed.jobs.map((j) => j.jobId)).toEqual([`settled.${poison}.failed`]);
    expect(await stepRow(t.pool, lost)).toMatchObject({ status: 'queued', fence: 2, losses: 1, lease_expires_at: null });
    expect(await stepRow(t.pool, poison)).toMatchObject({ status: 'failed', losses: 4, error: { code: 'worker_lost' } });
    expect(await stepRow(t.pool, alive)).toMatchObject({ status: 'running', fence: 1, losses: 0 });
  });
});

describe('timeOutSteps', () => {
  it('fails a running step past its deadline with a retryable timeout and its step-settled job; one within its deadline stays', async () => {
    const runId = await seedRun(t.pool, t.wf, 'running');
    const late = await seedStep(t.pool, t.wf, runId, 'late', 'running', { deadline_at: EXPIRED, lease_expires_at: LEASED });
    const onTime = await seedStep(t.pool, t.wf, runId, 'on_time', 'running', { deadline_at: LEASED, lease_expires_at: LEASED });
    const out = await withTx(t.pool, (c) => timeOutSteps(c, { graceMs: 1000, limit: 100 }));
    expect(out.jobs.map((j) => j.jobId)).toEqual([`settled.${late}.failed`]);
    expect(await stepRow(t.pool, late)).toMatchObject({ status: 'failed', error: { code: 'timeout' }, lease_expires_at: null });
    expect(await stepRow(t.pool, onTime)).toMatchObject({ status: 'running' });
  });
});

describe('what the backstops find', () => {
  it('due wake-ups: a waiting step whose timer is due, and a live run past its deadline (not an ended one)', async () => {
    const timer = await seedRun(t.pool, t.wf, 'waiting');
    await seedStep(t.pool, t.wf, timer, 'delay', 'waiting', { available_at: EXPIRED });
    const notYet = await seedRun(t.pool, t.wf, 'waiting');
    await seedStep(t.pool, t.wf, notYet, 'delay', 'waiting', { available_at: LEASED });
    const overdue = await seedRun(t.pool, t.wf, 'running');
    const ended = await seedRun(t.pool, t.wf, 'succeeded');
    await t.pool.query(`UPDATE runs SET deadline_at = ${EXPIRED} WHERE id = ANY($1::uuid[])`, [[overdue, ended]]);
    expect((await dueWakeUps(t.pool, { graceMs: 1000, limit: 100 })).sort()).toEqual([timer, overdue].sort());
  });

  it('idle runs: settled steps not applied yet, a pending retry, a run never started; not a run with nothing to fold in', async () => {
    const idle = await seedWorkflow(t.pool);
    const old = (id: string) => t.pool.query(`UPDATE runs SET updated_at = now() - interval '1 hour', state = $2 WHERE id = $1`, [id, '{}']);
    const settled = await seedRun(t.pool, idle, 'running');
    const stepId = await seedStep(t.pool, idle, settled, 'work', 'succeeded', { applied: 'false' });
    const retry = await seedRun(t.pool, idle, 'failed', { retryRequest: { fromNodeId: null } });
    const quiet = await seedRun(t.pool, idle, 'running');
    await seedStep(t.pool, idle, quiet, 'work', 'succeeded', { applied: 'true' });
    for (const id of [settled, retry, quiet]) await old(id);
    const unstarted = await seedRun(t.pool, idle, 'queued');
    await t.pool.query(`UPDATE runs SET updated_at = now() - interval '1 hour' WHERE id = $1`, [unstarted]);
    const found = await idleRunCandidates(t.pool, { idleMs: 60_000, limit: 100, after: MIN_UUID });
    const mine = found.filter((r) => [settled, retry, quiet, unstarted].includes(r.id));
    expect(mine).toEqual([
      { id: settled, started: true, settled: [{ id: stepId, status: 'succeeded' }] },
      { id: retry, started: true, settled: null },
      { id: unstarted, started: false, settled: null },
    ]);
  });

  it('stale queued steps: queued for a while, in id order after the cursor, with their fence', async () => {
    const runId = await seedRun(t.pool, t.wf, 'running');
    const a = await seedStep(t.pool, t.wf, runId, 'a', 'queued', { fence: '2', available_at: EXPIRED });
    const b = await seedStep(t.pool, t.wf, runId, 'b', 'queued', { available_at: EXPIRED });
    await seedStep(t.pool, t.wf, runId, 'fresh', 'queued');
    const page = await staleQueuedSteps(t.pool, { idleMs: 1000, limit: 100, after: MIN_UUID });
    expect(page.filter((s) => s.run_id === runId)).toEqual([{ id: a, run_id: runId, fence: 2 }, { id: b, run_id: runId, fence: 0 }]);
    expect((await staleQueuedSteps(t.pool, { idleMs: 1000, limit: 100, after: a })).map((s) => s.id)).not.toContain(a);
  });
});

describe('idle loops', () => {
  it('takes a run whose running loop has no iteration that moved lately for idle, not one whose iterations hand their slots on', async () => {
    const wf = await seedWorkflow(t.pool);
    const loopRun = async (childAge: string) => {
      const parent = await seedRun(t.pool, wf, 'running');
      const stepId = await seedStep(t.pool, wf, parent, 'each', 'running');
      await t.pool.query(`UPDATE run_steps SET node_type = 'for_each' WHERE id = $1`, [stepId]);
      await t.pool.query(`UPDATE runs SET updated_at = now() - interval '1 hour', state = '{}' WHERE id = $1`, [parent]);
      await t.pool.query(
        `INSERT INTO runs (id, org_id, workflow_id, workflow_version_id, status, inputs, parent_run_id, parent_step_id, kind, item_index, updated_at)
         VALUES (weft_uuidv7(), $1, $2, $3, 'running', '{}', $4, $5, 'iteration', 0, now() - $6::interval)`,
        [wf.orgId, wf.workflowId, wf.versionId, parent, stepId, childAge],
      );
      return parent;
    };
    const stuck = await loopRun('1 hour');
    const moving = await loopRun('0 seconds');
    const found = (await idleRunCandidates(t.pool, { idleMs: 60_000, limit: 1000, after: MIN_UUID })).map((r) => r.id);
    expect(found).toContain(stuck);
    expect(found).not.toContain(moving);
  });
});
