import { describe, expect, it } from 'vitest';
import { outboxJobIds, seedRun, seedStep, seedWorkflow, stepRow, useSeededDatabase } from '../test/seed';
import { latestStepOfNode, resolveApproval } from './approvals';
import { createRun, findRunByIdempotencyKey, requestBulkRetry, requestCancel, requestRetry, runControlState } from './runs';
import { withTx } from './sql';

const t = useSeededDatabase({ start: 'trigger', approve: 'wait_for_approval' });

const ACTOR = { type: 'api_key', id: 'key-1' };

const runRow = async (id: string) =>
  (await t.pool.query<{ status: string; cancel: boolean; retry_request: unknown }>('SELECT status, cancel_requested_at IS NOT NULL AS cancel, retry_request FROM runs WHERE id = $1', [id])).rows[0]!;

describe('createRun', () => {
  const newRun = (over: Partial<Parameters<typeof createRun>[1]> = {}) => ({
    orgId: t.wf.orgId, versionId: t.wf.versionId, inputsJson: '{"a":1}', idempotencyKey: null, requestHash: null, latestOf: t.wf.workflowId, createdBy: 'api_key:k0', ...over,
  });

  it('inserts the queued run, its run.created event and its start-run outbox row in one statement', async () => {
    const created = await createRun(t.pool, newRun());
    if (created.outcome !== 'created') throw new Error(created.outcome);
    expect(created.outbox.jobs.map((j) => j.jobId)).toEqual([`run.${created.runId}.start`]);
    expect((await runRow(created.runId)).status).toBe('queued');
    const { rows: events } = await t.pool.query('SELECT seq, type FROM run_events WHERE run_id = $1', [created.runId]);
    expect(events).toEqual([{ seq: 1, type: 'run.created' }]);
    expect(await outboxJobIds(t.pool)).toContain(`run.${created.runId}.start`);
  });

  it('writes nothing when the version guess is not the latest any more, or not the org’s', async () => {
    const before = await outboxJobIds(t.pool);
    await t.pool.query('UPDATE workflows SET latest_version = 2 WHERE id = $1', [t.wf.workflowId]);
    expect(await createRun(t.pool, newRun())).toEqual({ outcome: 'version-changed' });
    await t.pool.query('UPDATE workflows SET latest_version = 1 WHERE id = $1', [t.wf.workflowId]);
    const other = await seedWorkflow(t.pool);
    expect(await createRun(t.pool, newRun({ orgId: other.orgId, latestOf: null }))).toEqual({ outcome: 'version-changed' });
    expect(await outboxJobIds(t.pool)).toEqual(before);
  });

  it('writes nothing when the idempotency key is taken, and finds the run holding it (in its org only)', async () => {
    const first = await createRun(t.pool, newRun({ idempotencyKey: 'k1', requestHash: 'h1' }));
    expect(first.outcome).toBe('created');
    expect(await createRun(t.pool, newRun({ idempotencyKey: 'k1', requestHash: 'h2' }))).toEqual({ outcome: 'key-taken' });
    expect(await findRunByIdempotencyKey(t.pool, t.wf.orgId, 'k1')).toEqual({ id: first.outcome === 'created' ? first.runId : '', requestHash: 'h1' });
    expect(await findRunByIdempotencyKey(t.pool, (await seedWorkflow(t.pool)).orgId, 'k1')).toBeUndefined();
  });
});

describe('requestCancel', () => {
  it('records the request on a live run with its cancel-requested job, once', async () => {
    const runId = await seedRun(t.pool, t.wf, 'waiting');
    const first = await requestCancel(t.pool, t.wf.orgId, runId, ACTOR);
    expect(first).toMatchObject({ status: 'waiting', already: false });
    expect(first!.outbox.jobs.map((j) => j.jobId)).toEqual([`run.${runId}.cancel`]);
    const { rows: audit } = await t.pool.query('SELECT actor_id, action FROM audit_logs WHERE target_id = $1', [runId]);
    expect(audit).toEqual([{ actor_id: 'key-1', action: 'run.cancel_requested' }]);
    const again = await requestCancel(t.pool, t.wf.orgId, runId, ACTOR);
    expect(again).toMatchObject({ status: 'waiting', already: true, outbox: { ids: [], jobs: [] } });
    expect((await outboxJobIds(t.pool)).filter((j) => j === `run.${runId}.cancel`)).toHaveLength(1);
  });

  it('changes nothing on a run that already ended, and says its status', async () => {
    const runId = await seedRun(t.pool, t.wf, 'succeeded');
    expect(await requestCancel(t.pool, t.wf.orgId, runId, ACTOR)).toEqual({ status: 'succeeded', already: false, outbox: { ids: [], jobs: [] } });
    expect(await runRow(runId)).toMatchObject({ status: 'succeeded', cancel: false });
    expect(await outboxJobIds(t.pool)).not.toContain(`run.${runId}.cancel`);
  });

  it('does not see a run of another org', async () => {
    const runId = await seedRun(t.pool, t.wf, 'running');
    const other = await seedWorkflow(t.pool);
    expect(await requestCancel(t.pool, other.orgId, runId, ACTOR)).toBeUndefined();
    expect(await runControlState(t.pool, other.orgId, runId)).toBeUndefined();
    expect(await runRow(runId)).toMatchObject({ cancel: false });
  });
});

describe('requestRetry', () => {
  it('records one pending request on a failed run with its retry-requested job; a second finds it pending', async () => {
    const runId = await seedRun(t.pool, t.wf, 'failed');
    const first = await requestRetry(t.pool, t.wf.orgId, runId, 'approve', ACTOR);
    expect(first.jobs).toHaveLength(1);
    expect(first.jobs[0]!.jobId).toMatch(new RegExp(`^retry\\.${runId}\\.`));
    expect((await runRow(runId)).retry_request).toMatchObject({ fromNodeId: 'approve' });
    expect(await requestRetry(t.pool, t.wf.orgId, runId, null, ACTOR)).toEqual({ ids: [], jobs: [] });
    expect(await runControlState(t.pool, t.wf.orgId, runId)).toEqual({ status: 'failed', cancelRequested: false, retryPending: true, dataPurged: false });
  });

  it('changes nothing on a live run', async () => {
    const runId = await seedRun(t.pool, t.wf, 'running');
    expect(await requestRetry(t.pool, t.wf.orgId, runId, null, ACTOR)).toEqual({ ids: [], jobs: [] });
    expect((await runRow(runId)).retry_request).toBeNull();
  });
});

describe('requestBulkRetry', () => {
  it('skips a run another transaction holds (SKIP LOCKED) and one already pending, oldest first, and says there are more', async () => {
    const bulk = await seedWorkflow(t.pool);
    const at = (s: number) => new Date(Date.UTC(2024, 0, 1, 0, 0, s));
    const locked = await seedRun(t.pool, bulk, 'failed', { createdAt: at(1) });
    const pending = await seedRun(t.pool, bulk, 'failed', { createdAt: at(2), retryRequest: { fromNodeId: null } });
    const oldest = await seedRun(t.pool, bulk, 'failed', { createdAt: at(3) });
    const newer = await seedRun(t.pool, bulk, 'failed', { createdAt: at(4) });
    await seedRun(t.pool, bulk, 'succeeded', { createdAt: at(5) });
    const holder = await t.pool.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT 1 FROM runs WHERE id = $1 FOR UPDATE', [locked]);
      const picked = await withTx(t.pool, (c) => requestBulkRetry(c, bulk.orgId, bulk.workflowId, { status: 'failed', limit: 1 }));
      // Ids are UUIDv7 in creation order of the seeding: `oldest` before `newer`.
      expect(picked).toMatchObject({ runIds: [oldest], more: true });
      expect(picked.jobs.map((j) => j.jobId)).toEqual([expect.stringMatching(new RegExp(`^retry\\.${oldest}\\.`))]);
      await holder.query('ROLLBACK');
    } finally {
      holder.release();
    }
    expect((await runRow(locked)).retry_request).toBeNull();
    expect((await runRow(newer)).retry_request).toBeNull();
    expect((await runRow(pending)).retry_request).toEqual({ fromNodeId: null });
    const rest = await withTx(t.pool, (c) => requestBulkRetry(c, bulk.orgId, bulk.workflowId, { status: 'failed', limit: 10 }));
    expect(rest).toMatchObject({ runIds: [locked, newer], more: false });
  });
});

describe('resolveApproval', () => {
  it('resolves the waiting approval once, with its approval-resolved job; a second resolution changes nothing', async () => {
    const runId = await seedRun(t.pool, t.wf, 'waiting');
    const stepId = await seedStep(t.pool, t.wf, runId, 'approve', 'waiting');
    const decide = () => withTx(t.pool, (c) => resolveApproval(c, { orgId: t.wf.orgId, runId, nodeId: 'approve', decision: 'reject', payloadJson: '{"why":"no"}', keyId: 'key-1' }));
    expect(await decide()).toMatchObject({ stepIds: [stepId], jobs: [{ jobId: `resume.${stepId}` }] });
    expect(await stepRow(t.pool, stepId)).toMatchObject({ status: 'succeeded', output: { why: 'no' } });
    expect(await latestStepOfNode(t.pool, t.wf.orgId, runId, 'approve')).toEqual({ status: 'succeeded', handle: 'rejected' });
    expect(await decide()).toEqual({ stepIds: [], ids: [], jobs: [] });
  });

  it('resolves nothing for another org, or while the run is being cancelled', async () => {
    const runId = await seedRun(t.pool, t.wf, 'waiting');
    const stepId = await seedStep(t.pool, t.wf, runId, 'approve', 'waiting');
    const other = await seedWorkflow(t.pool);
    const decide = (orgId: string) => withTx(t.pool, (c) => resolveApproval(c, { orgId, runId, nodeId: 'approve', decision: 'approve', payloadJson: null, keyId: 'k' }));
    expect(await decide(other.orgId)).toEqual({ stepIds: [], ids: [], jobs: [] });
    await requestCancel(t.pool, t.wf.orgId, runId, ACTOR);
    expect(await decide(t.wf.orgId)).toEqual({ stepIds: [], ids: [], jobs: [] });
    expect(await stepRow(t.pool, stepId)).toMatchObject({ status: 'waiting' });
  });
});
