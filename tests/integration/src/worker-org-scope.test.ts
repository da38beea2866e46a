import { startEchoServer, type EchoServer } from '@weft/testing';
import { QUEUES } from '@weft/queue';
import type { WeftClient } from '@weft/sdk';
import type { WorkflowDefinition } from '@weft/workflow-schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatform, type Platform } from './platform';

/*
 * The executor acts for the org of the run its job names (row-level security on, README "Row-level
 * security"), not as the maintenance role: a job naming org A's run and org B's step (a forged or
 * corrupted job) claims nothing of B's. The same job naming B's own run runs the step.
 */

let p: Platform;
let echo: EchoServer;
let orgB: WeftClient;
beforeAll(async () => {
  [p, echo] = await Promise.all([startPlatform(), startEchoServer()]);
  orgB = await p.newOrgClient();
});
afterAll(async () => {
  await p?.stop();
  await echo?.close();
});

async function published(client: WeftClient, name: string, definition: WorkflowDefinition): Promise<string> {
  const wf = await client.createWorkflow({ name, definition });
  await client.publishVersion(wf.id);
  return wf.id;
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 60_000) {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** A step row as stored (read as the test's maintenance scope). */
async function stepOf(runId: string, nodeId: string, attempt: number) {
  const { rows } = await p.db.pool.query<{ id: string; status: string; fence: number }>(
    'SELECT id, status, fence FROM run_steps WHERE run_id = $1 AND node_id = $2 AND attempt = $3',
    [runId, nodeId, attempt],
  );
  return rows[0];
}

/** Puts an execute-step job with its own id (beside the step's real one) and waits until the executor has processed it. */
async function forge(jobId: string, data: { stepId: string; runId: string }) {
  const queue = p.queues.queue(QUEUES.executor);
  await queue.add('execute-step', data, { jobId, removeOnComplete: false, attempts: 1 });
  await until(`the executor processed ${jobId}`, async () => ['completed', 'failed'].includes(await queue.getJobState(jobId)));
  return queue.getJobState(jobId);
}

const calls = () => echo.requests.filter((r) => r.path === '/status/500').length;

describe('An executor job', () => {
  it('acts for the org of the run it names: org A’s run with org B’s step claims nothing; B’s run with it runs the step', async () => {
    // Org B: a step that fails and waits for its retry a long time (its job delayed ten minutes).
    const failing = await published(orgB, 'retried later', {
      nodes: [
        { id: 't', type: 'trigger', config: {} },
        { id: 'fetch', type: 'http_request', config: { url: `${echo.url}/status/500`, retry: { maxAttempts: 2, backoff: 'fixed', initialDelayMs: 600_000, maxDelayMs: 600_000 } } },
      ],
      edges: [{ source: 't', target: 'fetch' }],
    });
    const runB = (await orgB.createRun({ workflowId: failing, inputs: {} })).runId;
    await until('the retry of org B’s step is queued', async () => (await stepOf(runB, 'fetch', 2))?.status === 'queued');
    const retry = (await stepOf(runB, 'fetch', 2))!;
    expect(calls()).toBe(1);

    // Org A: a run of its own, ended.
    const done = await published(p.client, 'done', { nodes: [{ id: 't', type: 'trigger', config: {} }, { id: 'x', type: 'transform', config: { expression: '`1`' } }], edges: [{ source: 't', target: 'x' }] });
    const runA = (await p.client.waitForRun((await p.client.createRun({ workflowId: done, inputs: {} })).runId)).id;

    expect(await forge('forged-a', { stepId: retry.id, runId: runA })).toBe('completed');
    expect(await stepOf(runB, 'fetch', 2)).toEqual(retry);
    expect(calls()).toBe(1);

    expect(await forge('forged-b', { stepId: retry.id, runId: runB })).toBe('completed');
    const run = await orgB.waitForRun(runB);
    expect(run.status).toBe('failed');
    expect(await stepOf(runB, 'fetch', 2)).toMatchObject({ id: retry.id, status: 'failed', fence: retry.fence + 1 });
    expect(calls()).toBe(2);
  });

  it('runs the runs of two orgs side by side, each as its own org', async () => {
    const def: WorkflowDefinition = {
      nodes: [
        { id: 't', type: 'trigger', config: {} },
        { id: 'a', type: 'http_request', config: { method: 'POST', url: `${echo.url}/echo`, body: { n: '{{ input.n }}' } } },
        { id: 'b', type: 'transform', config: { expression: 'steps.a.output.body.body.n' } },
      ],
      edges: [{ source: 't', target: 'a' }, { source: 'a', target: 'b' }],
    };
    const [wfA, wfB] = await Promise.all([published(p.client, 'side by side', def), published(orgB, 'side by side', def)]);
    const started = await Promise.all(
      Array.from({ length: 12 }, (_, i) => (i % 2 ? orgB : p.client).createRun({ workflowId: i % 2 ? wfB : wfA, inputs: { n: i } }).then((r) => [i, r.runId] as const)),
    );
    const runs = await Promise.all(started.map(([i, id]) => (i % 2 ? orgB : p.client).waitForRun(id)));
    expect(runs.map((r) => r.status)).toEqual(started.map(() => 'succeeded'));
    expect(runs.map((r) => r.steps.find((s) => s.nodeId === 'b')?.output)).toEqual(started.map(([i]) => i));
  });
});
