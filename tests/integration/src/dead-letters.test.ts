import { startEchoServer, type EchoServer } from '@weft/testing';
import { WeftApiError } from '@weft/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatform, type Platform } from './platform';

/**
 * Dead letters and their redrive: steps that exhausted their retries end the run `failed` with the
 * error (never redelivered forever), `GET /v1/runs?status=failed` finds them, and
 * `POST /v1/workflows/:id/runs/retry` redrives them in bulk once the cause is fixed.
 */
let p: Platform;
let echo: EchoServer;
beforeAll(async () => {
  [p, echo] = await Promise.all([startPlatform(), startEchoServer()]);
});
afterAll(async () => {
  await p?.stop();
  await echo?.close();
});

/** trigger → call (fails with 503 the first `failures` times per run) → out. */
const flakyFlow = (failures: number) => ({
  nodes: [
    { id: 't', type: 'trigger', config: {} },
    {
      id: 'call',
      type: 'http_request',
      config: {
        method: 'POST',
        url: `${echo.url}/flaky/${failures}`,
        body: { n: '{{ input.n }}' },
        retry: { maxAttempts: 2, backoff: 'fixed', initialDelayMs: 20, maxDelayMs: 20 },
      },
    },
    { id: 'out', type: 'transform', config: { expression: '{ n: input.n, ok: steps.call.output.status }' } },
  ],
  edges: [
    { source: 't', target: 'call' },
    { source: 'call', target: 'out' },
  ],
  settings: { output: 'steps.out.output' },
});

async function publish(name: string, definition: object) {
  const wf = await p.client.createWorkflow({ name, definition: definition as Record<string, unknown> });
  await p.client.publishVersion(wf.id);
  return wf.id;
}

/** Polls until the run has the status (a redriven run is still `failed` until the orchestrator takes the retry). */
async function waitForStatus(id: string, status: string, timeoutMs = 20_000) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const run = await p.client.getRun(id);
    if (run.status === status) return run;
    if (Date.now() > end) throw new Error(`run ${id} is ${run.status}, not ${status}, after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function failedRuns(workflowId: string, count: number) {
  const ids: string[] = [];
  for (let n = 0; n < count; n++) ids.push((await p.client.createRun({ workflowId, inputs: { n } })).runId);
  const runs = await Promise.all(ids.map((id) => p.client.waitForRun(id)));
  expect(runs.map((r) => r.status)).toEqual(ids.map(() => 'failed'));
  return ids;
}

describe('Dead letters and bulk redrive', () => {
  it('a step that exhausted its retries fails the run with its error, is listed as failed, and a bulk redrive completes every run', async () => {
    const wf = await publish('dead-letters', flakyFlow(2));
    const ids = await failedRuns(wf, 5);

    const run = await p.client.getRun(ids[0]!);
    expect(run.error).toMatchObject({ nodeId: 'call', code: 'http_error' });
    expect(run.steps.filter((s) => s.nodeId === 'call').map((s) => [s.attempt, s.status])).toEqual([
      [1, 'failed'],
      [2, 'failed'],
    ]);
    const listed = await p.client.listRuns({ workflowId: wf, status: 'failed', limit: 50 });
    expect(listed.items.map((r) => r.id).sort()).toEqual([...ids].sort());

    // Not redelivered on its own: the remote side saw exactly 2 attempts per run.
    await new Promise((r) => setTimeout(r, 500));
    const calls = (id: string) => echo.requests.filter((r) => r.headers['idempotency-key'] === `weft-${id}-call`).length;
    expect(ids.map(calls)).toEqual(ids.map(() => 2));

    // The remote side recovered (the flaky route succeeds from the 3rd call): redrive 3, then the rest.
    const first = await p.client.retryRuns(wf, { limit: 3 });
    expect(first).toEqual({ workflowId: wf, runIds: [...ids].sort().slice(0, 3), more: true });
    const second = await p.client.retryRuns(wf, { limit: 3 });
    expect(second.more).toBe(false);
    expect([...first.runIds, ...second.runIds].sort()).toEqual([...ids].sort());

    const done = await Promise.all(ids.map((id) => waitForStatus(id, 'succeeded')));
    expect(done.map((r) => [r.status, r.output])).toEqual(ids.map((_, n) => ['succeeded', { n, ok: 200 }]));
    // The history keeps the dead attempts, and the successful one after them.
    const after = await p.client.getRun(ids[0]!);
    expect(after.steps.filter((s) => s.nodeId === 'call').map((s) => [s.attempt, s.status])).toEqual([
      [1, 'failed'],
      [2, 'failed'],
      [3, 'succeeded'],
    ]);
    const events = await p.client.allRunEvents(ids[0]!);
    expect(events.map((e) => e.type)).toContain('run.retry_requested');

    // Nothing left to redrive.
    expect(await p.client.retryRuns(wf)).toEqual({ workflowId: wf, runIds: [], more: false });
  });

  it("redrives only the given workflow's runs, with the given status and in the given time window", async () => {
    const a = await publish('redrive-a', flakyFlow(2));
    const b = await publish('redrive-b', flakyFlow(2));
    const [aRun] = await failedRuns(a, 1);
    const [bRun] = await failedRuns(b, 1);
    expect(await p.client.retryRuns(a, { status: 'cancelled' })).toMatchObject({ runIds: [] });
    expect(await p.client.retryRuns(a, { since: new Date(Date.now() + 60_000).toISOString() })).toMatchObject({ runIds: [] });
    expect(await p.client.retryRuns(a, { until: new Date(Date.now() + 60_000).toISOString() })).toMatchObject({ runIds: [aRun] });
    expect((await waitForStatus(aRun!, 'succeeded')).output).toEqual({ n: 0, ok: 200 });
    expect((await p.client.getRun(bRun!)).status).toBe('failed');
  });

  it('answers 404 for an unknown workflow and 400 naming the field for a bad body', async () => {
    const missing = await p.client.retryRuns('018f0000-0000-7000-8000-000000000000').catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(WeftApiError);
    expect((missing as WeftApiError).status).toBe(404);
    const wf = await publish('redrive-bad', flakyFlow(0));
    const bad = await p.client.call('POST', `/v1/workflows/${wf}/runs/retry`, { limit: 0, status: 'succeeded' }).catch((e: unknown) => e);
    expect((bad as WeftApiError).status).toBe(400);
    const paths = ((bad as WeftApiError).problem as { errors: { path: string }[] }).errors.map((e) => e.path).sort();
    expect(paths).toEqual(['body.limit', 'body.status']);
  });
});
