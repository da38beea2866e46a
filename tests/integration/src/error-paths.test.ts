import { startEchoServer, type EchoServer } from '@weft/testing';
import type { WeftClient } from '@weft/sdk';
import type { RunEvent } from '@weft/workflow-schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatform, type Platform } from './platform';
import { publishIssues } from './publish-issues';

let p: Platform;
let echo: EchoServer;
let other: WeftClient;
beforeAll(async () => {
  [p, echo] = await Promise.all([startPlatform(), startEchoServer()]);
  other = await p.newOrgClient();
});
afterAll(async () => {
  await p?.stop();
  await echo?.close();
});

type Def = { nodes: { id: string; type: string; config: Record<string, unknown> }[]; edges: { source: string; target: string; sourceHandle?: string }[]; settings?: Record<string, unknown> };

async function published(name: string, definition: Def): Promise<string> {
  const wf = await p.client.createWorkflow({ name, definition });
  await p.client.publishVersion(wf.id);
  return wf.id;
}

async function runOf(workflowId: string, inputs: Record<string, unknown> = {}) {
  return p.client.waitForRun((await p.client.createRun({ workflowId, inputs: inputs as never })).runId);
}

const eventsOf = async (runId: string, type: string): Promise<RunEvent[]> => (await p.client.allRunEvents(runId)).filter((e) => e.type === type);
const trigger = { id: 't', type: 'trigger', config: {} };
/** An HTTP step against the local server, answered 500 (a retryable http_error). */
const failing = (id: string, extra: Record<string, unknown> = {}) => ({ id, type: 'http_request', config: { url: `${echo.url}/status/500`, ...extra } });

describe('An error edge', () => {
  it('is taken when an HTTP step is answered 500: its output is the error, read by an inline transform and by an executor step, and the run succeeds', async () => {
    const wfId = await published('error edge', {
      nodes: [
        trigger,
        failing('fetch'),
        { id: 'use', type: 'transform', config: { expression: 'steps.fetch.output.body' } },
        { id: 'explain', type: 'transform', config: { expression: "join(': ', [steps.fetch.output.code, steps.fetch.output.message])" } },
        { id: 'notify', type: 'http_request', config: { method: 'POST', url: `${echo.url}/notify`, body: { code: '{{ steps.fetch.output.code }}', message: '{{ steps.fetch.output.message }}' } } },
      ],
      edges: [
        { source: 't', target: 'fetch' },
        { source: 'fetch', target: 'use' },
        { source: 'fetch', target: 'explain', sourceHandle: 'error' },
        { source: 'explain', target: 'notify' },
      ],
    });
    const run = await runOf(wfId);
    expect(run.status).toBe('succeeded');
    const step = (id: string) => run.steps.findLast((s) => s.nodeId === id)!;
    const fetchError = step('fetch').error as { code: string; message: string };
    expect(step('fetch')).toMatchObject({ status: 'failed', error: { code: 'http_error', retryable: true } });
    expect(step('fetch').output).toEqual(fetchError);
    expect(step('use').status).toBe('skipped');
    expect(step('explain')).toMatchObject({ status: 'succeeded', output: `http_error: ${fetchError.message}` });
    expect((step('notify').output as { body: { body: unknown } }).body.body).toEqual({ code: 'http_error', message: fetchError.message });
    expect(await eventsOf(run.id, 'step.caught')).toMatchObject([{ nodeId: 'fetch', data: { route: 'error', code: 'http_error' } }]);
  });

  it('is taken only after the retries are used up', async () => {
    const before = echo.requests.filter((r) => r.path === '/status/500').length;
    const wfId = await published('retried', {
      nodes: [trigger, failing('fetch', { retry: { maxAttempts: 2, backoff: 'fixed', initialDelayMs: 10 } }), { id: 'explain', type: 'transform', config: { expression: 'steps.fetch.output.code' } }],
      edges: [{ source: 't', target: 'fetch' }, { source: 'fetch', target: 'explain', sourceHandle: 'error' }],
    });
    const run = await runOf(wfId);
    expect(run.status).toBe('succeeded');
    expect(run.steps.filter((s) => s.nodeId === 'fetch').map((s) => [s.attempt, s.status])).toEqual([[1, 'failed'], [2, 'failed']]);
    expect(echo.requests.filter((r) => r.path === '/status/500').length - before).toBe(2);
    expect(run.steps.findLast((s) => s.nodeId === 'explain')!.output).toBe('http_error');
  });

  it('is not taken when the step succeeds', async () => {
    const wfId = await published('fine', {
      nodes: [trigger, { id: 'fetch', type: 'http_request', config: { url: `${echo.url}/items` } }, { id: 'use', type: 'transform', config: { expression: 'steps.fetch.output.status' } }, { id: 'explain', type: 'transform', config: { expression: 'steps.fetch.output.message' } }],
      edges: [{ source: 't', target: 'fetch' }, { source: 'fetch', target: 'use' }, { source: 'fetch', target: 'explain', sourceHandle: 'error' }],
    });
    const run = await runOf(wfId);
    expect(run.status).toBe('succeeded');
    expect(run.steps.map((s) => [s.nodeId, s.status])).toEqual(expect.arrayContaining([['use', 'succeeded'], ['explain', 'skipped']]));
  });
});

describe('continueOnFail', () => {
  it("makes a failed step's error its output and the run goes on along its normal edges", async () => {
    const wfId = await published('continue', {
      nodes: [trigger, failing('fetch', { continueOnFail: true }), { id: 'after', type: 'transform', config: { expression: '{ code: steps.fetch.output.code, retryable: steps.fetch.output.retryable }' } }],
      edges: [{ source: 't', target: 'fetch' }, { source: 'fetch', target: 'after' }],
    });
    const run = await runOf(wfId);
    expect(run.status).toBe('succeeded');
    expect(run.steps.findLast((s) => s.nodeId === 'fetch')).toMatchObject({ status: 'failed', output: { code: 'http_error', retryable: true } });
    expect(run.output).toEqual({ after: { code: 'http_error', retryable: true } });
    expect(await eventsOf(run.id, 'step.caught')).toMatchObject([{ nodeId: 'fetch', data: { route: 'continue' } }]);
  });
});

describe('An error workflow', () => {
  /** A workflow that records what it was started with. */
  const recorder = () => published('on error', { nodes: [trigger, { id: 'got', type: 'transform', config: { expression: 'input' } }], edges: [{ source: 't', target: 'got' }] });
  const failingWith = (settings: Record<string, unknown>) =>
    published('fails', { nodes: [trigger, failing('fetch')], edges: [{ source: 't', target: 'fetch' }], settings });

  it("is started when a run fails, with the failed run's summary as inputs, by the transition that records the failure", async () => {
    const handler = await recorder();
    const wfId = await failingWith({ errorWorkflowId: handler });
    const failed = await runOf(wfId);
    expect(failed.status).toBe('failed');
    const [started] = await eventsOf(failed.id, 'error_workflow.started');
    const { errorRunId } = started!.data as { errorRunId: string };
    const events = await p.client.allRunEvents(failed.id);
    // Written with the failure: the same transition's events, next to run.failed.
    expect(events.map((e) => e.type).slice(-2)).toEqual(['run.failed', 'error_workflow.started']);
    const errorRun = await p.client.waitForRun(errorRunId);
    expect(errorRun).toMatchObject({ status: 'succeeded', workflowId: handler });
    const summary = {
      runId: failed.id,
      workflowId: wfId,
      workflowVersionId: failed.workflowVersionId,
      error: failed.error,
      failedNodeId: 'fetch',
      startedAt: expect.any(String),
      finishedAt: expect.any(String),
    };
    expect(errorRun.inputs).toEqual(summary);
    expect(errorRun.output).toEqual({ got: summary });
    const { rows } = await p.db.pool.query('SELECT error_of_run_id FROM runs WHERE id = $1', [errorRunId]);
    expect(rows[0].error_of_run_id).toBe(failed.id);
    expect((await p.client.allRunEvents(errorRunId))[0]).toMatchObject({ seq: 1, type: 'run.created', data: { errorOfRunId: failed.id } });
  });

  it('that fails starts no other error run, even when it names itself', async () => {
    const selfish = await p.client.createWorkflow({ name: 'self' });
    await p.client.publishVersion(selfish.id, { nodes: [trigger, failing('fetch')], edges: [{ source: 't', target: 'fetch' }], settings: { errorWorkflowId: selfish.id } });
    const failed = await runOf(selfish.id);
    expect(failed.status).toBe('failed');
    const [started] = await eventsOf(failed.id, 'error_workflow.started');
    const errorRunId = (started!.data as { errorRunId: string }).errorRunId;
    expect((await p.client.waitForRun(errorRunId)).status).toBe('failed');
    expect(await eventsOf(errorRunId, 'error_workflow.started')).toEqual([]);
    expect(await eventsOf(errorRunId, 'error_workflow.skipped')).toHaveLength(1);
    expect((await p.client.listRuns({ workflowId: selfish.id })).items).toHaveLength(2);
  });

  it('is not started when a run is cancelled', async () => {
    const handler = await recorder();
    const wfId = await published('slow', { nodes: [trigger, { id: 'wait', type: 'delay', config: { durationMs: 600_000 } }], edges: [{ source: 't', target: 'wait' }], settings: { errorWorkflowId: handler } });
    const { runId } = await p.client.createRun({ workflowId: wfId, inputs: {} });
    while ((await p.client.getRun(runId)).status !== 'waiting') await new Promise((r) => setTimeout(r, 20));
    await p.client.cancelRun(runId);
    const run = await p.client.waitForRun(runId);
    expect(run.status).toBe('cancelled');
    expect((await p.client.allRunEvents(runId)).filter((e) => e.type.startsWith('error_workflow.'))).toEqual([]);
    expect((await p.client.listRuns({ workflowId: handler })).items).toEqual([]);
  });

  it('deleted after publish is recorded on the failed run, which fails as it would have', async () => {
    const gone = await p.client.createWorkflow({ name: 'soon gone' });
    const wfId = await failingWith({ errorWorkflowId: gone.id });
    await p.db.pool.query('DELETE FROM workflows WHERE id = $1', [gone.id]);
    const failed = await runOf(wfId);
    expect(failed).toMatchObject({ status: 'failed', error: { code: 'http_error', nodeId: 'fetch' } });
    expect(await eventsOf(failed.id, 'error_workflow.not_found')).toMatchObject([{ data: { errorWorkflowId: gone.id, message: expect.stringContaining('was not found') } }]);
  });
});

describe('Publishing error paths', () => {
  const simple = (settings: Record<string, unknown>) => ({ nodes: [trigger], edges: [], settings });

  it('refuses an errorWorkflowId that is no workflow, and one of another org alike, at settings.errorWorkflowId', async () => {
    const missing = '0190f0f0-0000-7000-8000-000000000000';
    const foreign = await other.createWorkflow({ name: 'theirs' });
    for (const id of [missing, foreign.id]) {
      const r = await publishIssues(p.client, simple({ errorWorkflowId: id }));
      expect(r).toEqual({ status: 400, issues: [{ path: 'settings.errorWorkflowId', code: 'workflow_not_found', message: `error workflow ${id} is not a workflow of this org` }] });
    }
  });

  it('refuses an errorWorkflowId that is not a UUID', async () => {
    const r = await publishIssues(p.client, simple({ errorWorkflowId: 'nope' }));
    expect(r.status).toBe(400);
    expect(r.issues).toMatchObject([{ path: 'settings.errorWorkflowId' }]);
  });

  it('refuses an error edge from a node type without the error handle, naming the node and the edge', async () => {
    const r = await publishIssues(p.client, {
      nodes: [trigger, { id: 'ask', type: 'wait_for_approval', config: { prompt: 'ok?' } }, { id: 'after', type: 'transform', config: { expression: '@' } }],
      edges: [{ source: 't', target: 'ask' }, { source: 'ask', target: 'after', sourceHandle: 'approved' }, { source: 'ask', target: 'after', sourceHandle: 'error' }],
    });
    expect(r).toEqual({ status: 400, issues: [{ path: 'edges[2].sourceHandle', code: 'no_error_handle', nodeId: 'ask', message: 'node "ask" (wait_for_approval) has no error handle: its failures cannot be caught by an edge' }] });
  });

  it('serves which node types have the error handle in the node catalog', async () => {
    const catalog = await p.client.catalogNodes();
    const has = Object.fromEntries(catalog.map((e) => [e.type, (e as { errorHandle?: boolean }).errorHandle]));
    expect(has).toMatchObject({ http_request: true, transform: true, for_each: true, sub_workflow: true, trigger: false, wait_for_approval: false, terminate: false });
  });
});
