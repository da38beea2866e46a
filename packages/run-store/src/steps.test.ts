import { describe, expect, it } from 'vitest';
import { outboxJobIds, seedRun, seedStep, stepRow, useSeededDatabase } from '../test/seed';
import { withTx } from './sql';
import { claimStep, completeStep, releaseSteps, renewLeases } from './steps';

const t = useSeededDatabase();

const LEASE = { defaultTimeoutMs: 30_000, leaseMs: 60_000 };
const result = { status: 'succeeded', outputJson: '{"ok":true}', error: null, handle: null, usage: [{ kind: 'http_bytes', quantity: 12 }] } as const;

describe('claimStep', () => {
  it('claims a queued step (running, fence + 1, a lease) and reads the run and the latest outputs in the same statement', async () => {
    const runId = await seedRun(t.pool, t.wf, 'running');
    await seedStep(t.pool, t.wf, runId, 'start', 'succeeded', { output: `'{"n":1}'` });
    const id = await seedStep(t.pool, t.wf, runId, 'work', 'queued');
    const claimed = await claimStep(t.pool, id, LEASE);
    expect(claimed).toMatchObject({ id, run_id: runId, fence: 1, inputs: { in: 1 }, timeout_ms: 30_000, outputs: { start: { n: 1 } } });
    expect(await stepRow(t.pool, id)).toMatchObject({ status: 'running', fence: 1, leased: true });
  });

  it('claims nothing and changes nothing when the step is not queued (running, waiting, ended)', async () => {
    const runId = await seedRun(t.pool, t.wf, 'running');
    for (const status of ['running', 'waiting', 'succeeded', 'cancelled']) {
      const id = await seedStep(t.pool, t.wf, runId, `n_${status}`, status, { fence: '4' });
      expect(await claimStep(t.pool, id, LEASE)).toBeUndefined();
      expect(await stepRow(t.pool, id)).toMatchObject({ status, fence: 4, started_at: null });
    }
  });
});

describe('completeStep', () => {
  it('writes the result, its usage and its step-settled outbox row when the fence holds', async () => {
    const runId = await seedRun(t.pool, t.wf, 'running');
    const id = await seedStep(t.pool, t.wf, runId, 'work', 'queued');
    const claimed = (await claimStep(t.pool, id, LEASE))!;
    const settled = await completeStep(t.pool, { id, fence: claimed.fence, runId }, result);
    expect(settled.jobs.map((j) => j.jobId)).toEqual([`settled.${id}.succeeded`]);
    expect(await outboxJobIds(t.pool)).toContain(`settled.${id}.succeeded`);
    expect(await stepRow(t.pool, id)).toMatchObject({ status: 'succeeded', output: { ok: true }, lease_expires_at: null });
    const { rows: usage } = await t.pool.query(
      `SELECT kind, quantity >= 0 AS measured, workflow_id, data->>'nodeType' AS node_type FROM usage_events WHERE step_id = $1 ORDER BY kind`,
      [id],
    );
    const nodeType = (await t.pool.query<{ node_type: string }>('SELECT node_type FROM run_steps WHERE id = $1', [id])).rows[0]!.node_type;
    expect(usage).toEqual([
      { kind: 'http_bytes', measured: true, workflow_id: t.wf.workflowId, node_type: nodeType },
      { kind: 'step_ms', measured: true, workflow_id: t.wf.workflowId, node_type: nodeType },
    ]);
    expect((await t.pool.query(`SELECT quantity FROM usage_events WHERE step_id = $1 AND kind = 'http_bytes'`, [id])).rows).toEqual([{ quantity: '12' }]);
  });

  it('meters every attempt of a retried step: one step_ms row per completed attempt', async () => {
    const runId = await seedRun(t.pool, t.wf, 'running');
    const first = await seedStep(t.pool, t.wf, runId, 'flaky', 'queued');
    const a1 = (await claimStep(t.pool, first, LEASE))!;
    await completeStep(t.pool, { id: first, fence: a1.fence, runId }, { ...result, status: 'failed', outputJson: null, usage: [] });
    const second = await seedStep(t.pool, t.wf, runId, 'flaky', 'queued', { attempt: '2' });
    const a2 = (await claimStep(t.pool, second, LEASE))!;
    await completeStep(t.pool, { id: second, fence: a2.fence, runId }, { ...result, usage: [] });
    const { rows } = await t.pool.query(`SELECT data->>'attempt' AS attempt FROM usage_events WHERE run_id = $1 AND kind = 'step_ms' ORDER BY id`, [runId]);
    expect(rows).toEqual([{ attempt: '1' }, { attempt: '2' }]);
  });

  it('discards a completion under a stale fence (the step was re-claimed): no write, no usage, no job', async () => {
    const runId = await seedRun(t.pool, t.wf, 'running');
    const id = await seedStep(t.pool, t.wf, runId, 'work', 'running', { fence: '3', lease_expires_at: "now() + interval '1 minute'" });
    const settled = await completeStep(t.pool, { id, fence: 2, runId }, result);
    expect(settled).toEqual({ ids: [], jobs: [] });
    expect(await stepRow(t.pool, id)).toMatchObject({ status: 'running', fence: 3, output: null, leased: true });
    expect(await outboxJobIds(t.pool)).not.toContain(`settled.${id}.succeeded`);
    expect((await t.pool.query('SELECT 1 FROM usage_events WHERE step_id = $1', [id])).rowCount).toBe(0);
  });

  it('discards a completion of a step that is no longer running under its own fence (cancelled)', async () => {
    const runId = await seedRun(t.pool, t.wf, 'running');
    const id = await seedStep(t.pool, t.wf, runId, 'work', 'cancelled', { fence: '1' });
    expect((await completeStep(t.pool, { id, fence: 1, runId }, result)).jobs).toEqual([]);
    expect(await stepRow(t.pool, id)).toMatchObject({ status: 'cancelled' });
  });
});

describe('renewLeases', () => {
  it('renews the steps still running under their fence and skips a lost one, leaving its row alone', async () => {
    const runId = await seedRun(t.pool, t.wf, 'running');
    const kept = await seedStep(t.pool, t.wf, runId, 'kept', 'running', { fence: '1', lease_expires_at: "now() - interval '1 second'" });
    const lost = await seedStep(t.pool, t.wf, runId, 'lost', 'running', { fence: '2', lease_expires_at: "now() - interval '1 second'" });
    const requeued = await seedStep(t.pool, t.wf, runId, 'requeued', 'queued', { fence: '1' });
    const renewed = await renewLeases(t.pool, [{ id: kept, fence: 1 }, { id: lost, fence: 1 }, { id: requeued, fence: 1 }], 60_000);
    expect([...renewed]).toEqual([kept]);
    expect(await stepRow(t.pool, kept)).toMatchObject({ leased: true });
    expect(await stepRow(t.pool, lost)).toMatchObject({ status: 'running', fence: 2, leased: false });
    expect(await stepRow(t.pool, requeued)).toMatchObject({ status: 'queued', lease_expires_at: null });
  });
});

describe('releaseSteps', () => {
  it('gives back a step still held under its fence (queued, fence + 1, its execute-step job) and keeps one re-claimed by another fence', async () => {
    const runId = await seedRun(t.pool, t.wf, 'running');
    const held = await seedStep(t.pool, t.wf, runId, 'held', 'running', { fence: '1', lease_expires_at: "now() + interval '1 minute'" });
    const taken = await seedStep(t.pool, t.wf, runId, 'taken', 'running', { fence: '2', lease_expires_at: "now() + interval '1 minute'" });
    const released = await withTx(t.pool, (c) => releaseSteps(c, [{ id: held, fence: 1 }, { id: taken, fence: 1 }]));
    expect(released.stepIds).toEqual([held]);
    expect(released.jobs.map((j) => j.jobId)).toEqual([`step.${held}.2`]);
    expect(await outboxJobIds(t.pool)).toContain(`step.${held}.2`);
    expect(await stepRow(t.pool, held)).toMatchObject({ status: 'queued', fence: 2, lease_expires_at: null, started_at: null });
    expect(await stepRow(t.pool, taken)).toMatchObject({ status: 'running', fence: 2, leased: true });
  });
});
