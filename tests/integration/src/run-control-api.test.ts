import { newId } from '@weft/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiCall } from './api-http';
import { startPlatform, type Platform } from './platform';

// The gateway alone: run state is set with SQL, and what the gateway hands to the orchestrator
// is read from the outbox and the orchestrator queue. The orchestrator's side is tested elsewhere.
let p: Platform;
beforeAll(async () => {
  p = await startPlatform({ workers: false });
});
afterAll(async () => {
  await p?.stop();
});

const http = (method: string, path: string, body?: unknown, key?: string) => apiCall(p, method, path, body, key);

const approval = {
  nodes: [
    { id: 't', type: 'trigger' },
    { id: 'approve', type: 'wait_for_approval', config: { prompt: 'Ship it?' } },
    { id: 'ship', type: 'transform', config: { expression: '`"shipped"`' } },
    { id: 'drop', type: 'transform', config: { expression: '`"dropped"`' } },
  ],
  edges: [
    { source: 't', target: 'approve' },
    { source: 'approve', target: 'ship', sourceHandle: 'approved' },
    { source: 'approve', target: 'drop', sourceHandle: 'rejected' },
  ],
};

let workflowId: string;
beforeAll(async () => {
  const wf = await p.client.createWorkflow({ name: 'approval', definition: approval });
  await p.client.publishVersion(wf.id);
  workflowId = wf.id;
});

/** A queued run, as POST /v1/runs leaves it (nothing advances it here). */
const newRun = async () => (await p.client.createRun({ workflowId })).runId;

const runRow = async (id: string) =>
  (await p.db.pool.query('SELECT status, cancel_requested_at, retry_request FROM runs WHERE id = $1', [id])).rows[0] as {
    status: string;
    cancel_requested_at: Date | null;
    retry_request: { fromNodeId: string | null; requestedAt: string } | null;
  };

const setStatus = (id: string, status: string) => p.db.pool.query('UPDATE runs SET status = $2 WHERE id = $1', [id, status]);

/** Puts the run where the orchestrator would: waiting on its approval step. */
async function waitingOnApproval(runId: string, status = 'waiting') {
  const stepId = newId();
  await setStatus(runId, 'waiting');
  await p.db.pool.query(
    `INSERT INTO run_steps (id, org_id, run_id, node_id, node_type, attempt, status, input, started_at)
     VALUES ($1, $2, $3, 'approve', 'wait_for_approval', 1, $4, '{"prompt":"Ship it?","timeoutMs":null}', now())`,
    [stepId, p.orgId, runId, status],
  );
  return stepId;
}

const stepRow = async (id: string) =>
  (await p.db.pool.query('SELECT status, handle, output, input, finished_at FROM run_steps WHERE id = $1', [id])).rows[0] as {
    status: string;
    handle: string | null;
    output: unknown;
    input: Record<string, unknown>;
    finished_at: Date | null;
  };

const orchestratorJob = (jobId: string) => p.queues.queue('orchestrator').getJob(jobId);
const outboxCount = async () => Number((await p.db.pool.query('SELECT count(*) FROM outbox')).rows[0].count);
const keyId = async () => (await p.db.pool.query(`SELECT id FROM api_keys WHERE org_id = $1`, [p.orgId])).rows[0].id as string;

describe('Cancelling a run through the API', () => {
  it('records the request on a queued run and wakes the orchestrator with the cancel job', async () => {
    const runId = await newRun();
    const r = await http('POST', `/v1/runs/${runId}/cancel`);
    expect(r).toMatchObject({ status: 202, body: { runId } });
    expect((await runRow(runId)).cancel_requested_at).toBeInstanceOf(Date);
    const job = await orchestratorJob(`run.${runId}.cancel`);
    expect(job?.name).toBe('cancel-requested');
    expect(job?.data).toEqual({ runId });
    expect(await outboxCount()).toBe(0); // published eagerly after commit
  });

  it('accepts a second cancel while the first is pending without asking again', async () => {
    const runId = await newRun();
    await setStatus(runId, 'running');
    await p.client.cancelRun(runId);
    const first = (await runRow(runId)).cancel_requested_at;
    const again = await p.client.cancelRun(runId);
    expect(again).toEqual({ runId });
    expect((await runRow(runId)).cancel_requested_at).toEqual(first);
  });

  it('answers 409 naming the status when the run already ended', async () => {
    for (const status of ['succeeded', 'failed', 'cancelled']) {
      const runId = await newRun();
      await setStatus(runId, status);
      const r = await http('POST', `/v1/runs/${runId}/cancel`);
      expect(r.status).toBe(409);
      expect(r.type).toContain('application/problem+json');
      expect(r.body.type).toContain('invalid-state');
      expect(r.body.detail).toContain(status);
      expect((await runRow(runId)).cancel_requested_at).toBeNull();
    }
  });

  it('answers 404 for an unknown run and for a run of another org, which stays untouched', async () => {
    expect((await http('POST', `/v1/runs/${newId()}/cancel`)).status).toBe(404);
    const runId = await newRun();
    const other = await p.newOrgClient();
    await expect(other.cancelRun(runId)).rejects.toMatchObject({ status: 404 });
    expect((await runRow(runId)).cancel_requested_at).toBeNull();
  });
});

describe('Resolving an approval through the API', () => {
  it('approving succeeds the waiting step with the approved handle, the payload as output and who decided', async () => {
    const runId = await newRun();
    const stepId = await waitingOnApproval(runId);
    const r = await http('POST', `/v1/runs/${runId}/resume`, { nodeId: 'approve', decision: 'approve', payload: { note: 'lgtm', amount: 3 } });
    expect(r).toMatchObject({ status: 202, body: { runId } });

    const step = await stepRow(stepId);
    expect(step).toMatchObject({ status: 'succeeded', handle: 'approved', output: { note: 'lgtm', amount: 3 } });
    expect(step.finished_at).toBeInstanceOf(Date);
    expect(step.input).toMatchObject({ prompt: 'Ship it?', resolution: { decision: 'approve', keyId: await keyId(), resolvedAt: expect.any(String) } });
    expect((await orchestratorJob(`resume.${stepId}`))?.data).toEqual({ runId, stepId });

    const view = (await p.client.getRun(runId)).steps.find((s) => s.id === stepId)!;
    expect(view).toMatchObject({ nodeId: 'approve', status: 'succeeded', handle: 'approved', output: { note: 'lgtm', amount: 3 } });
    expect(view.input).toMatchObject({ prompt: 'Ship it?', resolution: { decision: 'approve' } });
  });

  it('rejecting leaves by the rejected handle, with a null output without payload', async () => {
    const runId = await newRun();
    const stepId = await waitingOnApproval(runId);
    await p.client.resumeRun(runId, { nodeId: 'approve', decision: 'reject' });
    expect(await stepRow(stepId)).toMatchObject({ status: 'succeeded', handle: 'rejected', output: null });
  });

  it('resuming twice answers 409 already resolved and changes nothing', async () => {
    const runId = await newRun();
    const stepId = await waitingOnApproval(runId);
    await p.client.resumeRun(runId, { nodeId: 'approve', decision: 'approve', payload: 1 });
    const before = await stepRow(stepId);
    const outbox = await outboxCount();

    const r = await http('POST', `/v1/runs/${runId}/resume`, { nodeId: 'approve', decision: 'reject', payload: 2 });
    expect(r.status).toBe(409);
    expect(r.body.type).toContain('already-resolved');
    expect(r.body.detail).toContain('approved');
    expect(await stepRow(stepId)).toEqual(before);
    expect(await outboxCount()).toBe(outbox);
  });

  it('two approvers at once: exactly one wins, the other gets 409', async () => {
    const runId = await newRun();
    const stepId = await waitingOnApproval(runId);
    const answers = await Promise.all(
      ['approve', 'reject', 'approve', 'reject'].map((decision) => http('POST', `/v1/runs/${runId}/resume`, { nodeId: 'approve', decision })),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([202, 409, 409, 409]);
    expect((await stepRow(stepId)).status).toBe('succeeded');
  });

  it('answers 400 on body.nodeId for a node that is not an approval node of the run', async () => {
    const runId = await newRun();
    await waitingOnApproval(runId);
    const unknown = await http('POST', `/v1/runs/${runId}/resume`, { nodeId: 'ghost', decision: 'approve' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors).toEqual([expect.objectContaining({ path: 'body.nodeId', code: 'unknown_node', nodeId: 'ghost' })]);
    const transform = await http('POST', `/v1/runs/${runId}/resume`, { nodeId: 'ship', decision: 'approve' });
    expect(transform.status).toBe(400);
    expect(transform.body.errors[0]).toMatchObject({ path: 'body.nodeId', code: 'not_an_approval_node' });
    expect(transform.body.detail).toContain('transform');
  });

  it('answers 400 for a malformed body (decision, node id)', async () => {
    const runId = await newRun();
    const r = await http('POST', `/v1/runs/${runId}/resume`, { nodeId: 'approve', decision: 'maybe' });
    expect(r.status).toBe(400);
    expect(r.body.errors[0].path).toBe('body.decision');
    expect((await http('POST', `/v1/runs/${runId}/resume`, { nodeId: '1 bad', decision: 'approve' })).body.errors[0].path).toBe('body.nodeId');
  });

  it('answers 409 when the run does not wait on that approval yet', async () => {
    const runId = await newRun();
    const notReached = await http('POST', `/v1/runs/${runId}/resume`, { nodeId: 'approve', decision: 'approve' });
    expect(notReached.status).toBe(409);
    expect(notReached.body.type).toContain('invalid-state');
    expect(notReached.body.detail).toContain('not been reached');

    const stepId = await waitingOnApproval(runId, 'pending');
    const pending = await http('POST', `/v1/runs/${runId}/resume`, { nodeId: 'approve', decision: 'approve' });
    expect(pending.status).toBe(409);
    expect(pending.body.detail).toContain('pending');
    expect((await stepRow(stepId)).status).toBe('pending');
  });

  it('answers 409 while a cancel is pending, and leaves the approval waiting', async () => {
    const runId = await newRun();
    const stepId = await waitingOnApproval(runId);
    await p.client.cancelRun(runId);
    const r = await http('POST', `/v1/runs/${runId}/resume`, { nodeId: 'approve', decision: 'approve' });
    expect(r.status).toBe(409);
    expect(r.body.detail).toContain('cancelled');
    expect((await stepRow(stepId)).status).toBe('waiting');
  });

  it('answers 404 for an unknown run and for a run of another org, whose approval stays waiting', async () => {
    expect((await http('POST', `/v1/runs/${newId()}/resume`, { nodeId: 'approve', decision: 'approve' })).status).toBe(404);
    const runId = await newRun();
    const stepId = await waitingOnApproval(runId);
    const other = await p.newOrgClient();
    await expect(other.resumeRun(runId, { nodeId: 'approve', decision: 'approve' })).rejects.toMatchObject({ status: 404 });
    expect((await stepRow(stepId)).status).toBe('waiting');
  });
});

describe('Retrying a run through the API', () => {
  it('records the request on a failed run with fromNodeId and wakes the orchestrator', async () => {
    const runId = await newRun();
    await setStatus(runId, 'failed');
    const r = await http('POST', `/v1/runs/${runId}/retry`, { fromNodeId: 'approve' });
    expect(r).toMatchObject({ status: 202, body: { runId } });
    const row = await runRow(runId);
    expect(row.retry_request).toEqual({ fromNodeId: 'approve', requestedAt: expect.any(String) });
    expect(row.status).toBe('failed'); // the orchestrator reopens it
    const jobs = await p.queues.queue('orchestrator').getJobs(['waiting', 'delayed', 'prioritized']);
    expect(jobs.filter((j) => j.id?.startsWith(`retry.${runId}.`)).map((j) => j.data)).toEqual([{ runId }]);
  });

  it('retries a cancelled run without a body (failed steps only) and refuses a second pending retry', async () => {
    const runId = await newRun();
    await setStatus(runId, 'cancelled');
    const res = await fetch(`${p.url}/v1/runs/${runId}/retry`, { method: 'POST', headers: { authorization: `Bearer ${p.apiKey}` } });
    expect(res.status).toBe(202);
    expect((await runRow(runId)).retry_request).toEqual({ fromNodeId: null, requestedAt: expect.any(String) });
    const again = await http('POST', `/v1/runs/${runId}/retry`, {});
    expect(again.status).toBe(409);
    expect(again.body.detail).toContain('already has a retry pending');
  });

  it('answers 409 naming the status for a run that is not failed or cancelled', async () => {
    for (const status of ['queued', 'running', 'waiting', 'succeeded']) {
      const runId = await newRun();
      await setStatus(runId, status);
      const r = await http('POST', `/v1/runs/${runId}/retry`, {});
      expect(r.status).toBe(409);
      expect(r.body.detail).toContain(status);
      expect((await runRow(runId)).retry_request).toBeNull();
    }
  });

  it('answers 400 on body.fromNodeId for a node the workflow does not have', async () => {
    const runId = await newRun();
    await setStatus(runId, 'failed');
    const r = await http('POST', `/v1/runs/${runId}/retry`, { fromNodeId: 'ghost' });
    expect(r.status).toBe(400);
    expect(r.body.errors).toEqual([expect.objectContaining({ path: 'body.fromNodeId', code: 'unknown_node' })]);
    expect((await runRow(runId)).retry_request).toBeNull();
  });

  it('answers 404 for an unknown run and for a run of another org, which stays untouched', async () => {
    expect((await http('POST', `/v1/runs/${newId()}/retry`, {})).status).toBe(404);
    const runId = await newRun();
    await setStatus(runId, 'failed');
    const other = await p.newOrgClient();
    await expect(other.retryRun(runId)).rejects.toMatchObject({ status: 404 });
    expect((await runRow(runId)).retry_request).toBeNull();
  });
});

describe('Run listing and views', () => {
  it('hides for_each iteration runs from the list but serves them by id with their parent', async () => {
    const parent = await newRun();
    const iteration = newId();
    await p.db.pool.query(
      `INSERT INTO runs (id, org_id, workflow_id, workflow_version_id, status, inputs, kind, parent_run_id, item_index, body_path)
       SELECT $1, org_id, workflow_id, workflow_version_id, 'running', '{"item":1,"index":0}', 'iteration', id, 0, 'loop' FROM runs WHERE id = $2`,
      [iteration, parent],
    );
    const ids = (await p.client.listRuns({ workflowId, limit: 200 })).items.map((r) => r.id);
    expect(ids).toContain(parent);
    expect(ids).not.toContain(iteration);
    expect((await p.client.listRuns({ status: 'running', limit: 200 })).items.map((r) => r.id)).not.toContain(iteration);
    expect(await p.client.getRun(iteration)).toMatchObject({ id: iteration, parentRunId: parent });
  });

  it('documents the run actions and the live socket in OpenAPI', async () => {
    const spec = JSON.parse(await (await fetch(`${p.url}/openapi.json`)).text());
    for (const path of ['/v1/runs/{id}/cancel', '/v1/runs/{id}/resume', '/v1/runs/{id}/retry']) {
      expect(spec.paths[path].post.responses['202']).toBeDefined();
    }
    expect(spec.paths['/v1/runs/{id}/resume'].post.requestBody.content['application/json'].schema.required).toEqual(['nodeId', 'decision']);
    const live = spec.paths['/v1/runs/{id}/live'].get;
    expect(live.description).toContain('snapshot');
    expect(live.security).toEqual([{ apiKey: [] }, { accessToken: [] }]);
    expect(spec.components.securitySchemes.accessToken).toMatchObject({ type: 'apiKey', in: 'query', name: 'access_token' });
  });
});
