import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, outboxJobIds, seedRun, seedStep, seedWorkflow, stepRow, type Workflow } from '../test/seed';
import { withTx } from './sql';
import { claimStep, completeStep, releaseSteps, renewLeases } from './steps';

let pool: pg.Pool;
let close: () => Promise<void>;
let wf: Workflow;

beforeAll(async () => {
  ({ pool, close } = await freshDatabase());
  wf = await seedWorkflow(pool);
});
afterAll(() => close());

const LEASE = { defaultTimeoutMs: 30_000, leaseMs: 60_000 };
const result = { status: 'succeeded', outputJson: '{"ok":true}', error: null, handle: null, usage: [{ kind: 'http_bytes', quantity: 12 }] } as const;

describe('claimStep', () => {
  it('claims a queued step (running, fence + 1, a lease) and reads the run and the latest outputs in the same statement', async () => {
    const runId = await seedRun(pool, wf, 'running');
    await seedStep(pool, wf, runId, 'start', 'succeeded', { output: `'{"n":1}'` });
    const id = await seedStep(pool, wf, runId, 'work', 'queued');
    const claimed = await claimStep(pool, id, LEASE);
    expect(claimed).toMatchObject({ id, run_id: runId, fence: 1, inputs: { in: 1 }, timeout_ms: 30_000, outputs: { start: { n: 1 } } });
    expect(await stepRow(pool, id)).toMatchObject({ status: 'running', fence: 1, leased: true });
  });

  it('claims nothing and changes nothing when the step is not queued (running, waiting, ended)', async () => {
    const runId = await seedRun(pool, wf, 'running');
    for (const status of ['running', 'waiting', 'succeeded', 'cancelled']) {
      const id = await seedStep(pool, wf, runId, `n_${status}`, status, { fence: '4' });
      expect(await claimStep(pool, id, LEASE)).toBeUndefined();
      expect(await stepRow(pool, id)).toMatchObject({ status, fence: 4, started_at: null });
    }
  });
});

describe('completeStep', () => {
  it('writes the result, its usage and its step-settled outbox row when the fence holds', async () => {
    const runId = await seedRun(pool, wf, 'running');
    const id = await seedStep(pool, wf, runId, 'work', 'queued');
    const claimed = (await claimStep(pool, id, LEASE))!;
    const settled = await completeStep(pool, { id, fence: claimed.fence, runId }, result);
    expect(settled.jobs.map((j) => j.jobId)).toEqual([`settled.${id}.succeeded`]);
    expect(await outboxJobIds(pool)).toContain(`settled.${id}.succeeded`);
    expect(await stepRow(pool, id)).toMatchObject({ status: 'succeeded', output: { ok: true }, lease_expires_at: null });
    const { rows: usage } = await pool.query('SELECT kind, quantity FROM usage_events WHERE step_id = $1', [id]);
    expect(usage).toEqual([{ kind: 'http_bytes', quantity: '12' }]);
  });

  it('discards a completion under a stale fence (the step was re-claimed): no write, no usage, no job', async () => {
    const runId = await seedRun(pool, wf, 'running');
    const id = await seedStep(pool, wf, runId, 'work', 'running', { fence: '3', lease_expires_at: "now() + interval '1 minute'" });
    const settled = await completeStep(pool, { id, fence: 2, runId }, result);
    expect(settled).toEqual({ ids: [], jobs: [] });
    expect(await stepRow(pool, id)).toMatchObject({ status: 'running', fence: 3, output: null, leased: true });
    expect(await outboxJobIds(pool)).not.toContain(`settled.${id}.succeeded`);
    expect((await pool.query('SELECT 1 FROM usage_events WHERE step_id = $1', [id])).rowCount).toBe(0);
  });

  it('discards a completion of a step that is no longer running under its own fence (cancelled)', async () => {
    const runId = await seedRun(pool, wf, 'running');
    const id = await seedStep(pool, wf, runId, 'work', 'cancelled', { fence: '1' });
    expect((await completeStep(pool, { id, fence: 1, runId }, result)).jobs).toEqual([]);
    expect(await stepRow(pool, id)).toMatchObject({ status: 'cancelled' });
  });
});

describe('renewLeases', () => {
  it('renews the steps still running under their fence and skips a lost one, leaving its row alone', async () => {
    const runId = await seedRun(pool, wf, 'running');
    const kept = await seedStep(pool, wf, runId, 'kept', 'running', { fence: '1', lease_expires_at: "now() - interval '1 second'" });
    const lost = await seedStep(pool, wf, runId, 'lost', 'running', { fence: '2', lease_expires_at: "now() - interval '1 second'" });
    const requeued = await seedStep(pool, wf, runId, 'requeued', 'queued', { fence: '1' });
    const renewed = await renewLeases(pool, [{ id: kept, fence: 1 }, { id: lost, fence: 1 }, { id: requeued, fence: 1 }], 60_000);
    expect([...renewed]).toEqual([kept]);
    expect(await stepRow(pool, kept)).toMatchObject({ leased: true });
    expect(await stepRow(pool, lost)).toMatchObject({ status: 'running', fence: 2, leased: false });
    expect(await stepRow(pool, requeued)).toMatchObject({ status: 'queued', lease_expires_at: null });
  });
});

describe('releaseSteps', () => {
  it('gives back a step still held under its fence (queued, fence + 1, its execute-step job) and keeps one re-claimed by another fence', async () => {
    const runId = await seedRun(pool, wf, 'running');
    const held = await seedStep(pool, wf, runId, 'held', 'running', { fence: '1', lease_expires_at: "now() + interval '1 minute'" });
    const taken = await seedStep(pool, wf, runId, 'taken', 'running', { fence: '2', lease_expires_at: "now() + interval '1 minute'" });
    const released = await withTx(pool, (c) => releaseSteps(c, [{ id: held, fence: 1 }, { id: taken, fence: 1 }]));
    expect(released.stepIds).toEqual([held]);
    expect(released.jobs.map((j) => j.jobId)).toEqual([`step.${held}.2`]);
    expect(await outboxJobIds(pool)).toContain(`step.${held}.2`);
    expect(await stepRow(pool, held)).toMatchObject({ status: 'queued', fence: 2, lease_expires_at: null, started_at: null });
    expect(await stepRow(pool, taken)).toMatchObject({ status: 'running', fence: 2, leased: true });
  });
});
