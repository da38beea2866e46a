import { WeftApiError, WeftClient } from '@weft/sdk';
import type { LiveMessage } from '@weft/workflow-schema';
import WebSocket from 'ws';
import { queuePrefix } from '@weft/queue';
import { startEchoServer, type EchoServer } from '@weft/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatform, type Platform } from './platform';

let p: Platform;
let echo: EchoServer;
beforeAll(async () => {
  [p, echo] = await Promise.all([startPlatform(), startEchoServer()]);
});
afterAll(async () => {
  await p?.stop();
  await echo?.close();
});

const t = { id: 't', type: 'trigger', config: {} };
const edge = (source: string, target: string, sourceHandle?: string) => ({ source, target, ...(sourceHandle ? { sourceHandle } : {}) });
async function publish(name: string, definition: object) {
  const wf = await p.client.createWorkflow({ name, definition: definition as Record<string, unknown> });
  await p.client.publishVersion(wf.id);
  return wf.id;
}
async function until<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
const stepOf = async (runId: string, nodeId: string, status: string) =>
  until(`${nodeId} ${status}`, async () => (await p.client.getRun(runId)).steps.find((s) => s.nodeId === nodeId && s.status === status));

const approvalFlow = {
  nodes: [
    t,
    { id: 'ok', type: 'wait_for_approval', config: { prompt: 'Refund {{ input.amount }}?' } },
    { id: 'refund', type: 'transform', config: { expression: "{ refunded: input.amount, note: steps.ok.output.note }" } },
    { id: 'declined', type: 'transform', config: { expression: "'declined'" } },
  ],
  edges: [edge('t', 'ok'), edge('ok', 'refund', 'approved'), edge('ok', 'declined', 'rejected')],
};

describe('Approvals, cancel and retry through the whole pipeline', () => {
  it('waits for approval, continues down the approved path with the payload, and refuses a second resume', async () => {
    const wf = await publish('approve', approvalFlow);
    const { runId } = await p.client.createRun({ workflowId: wf, inputs: { amount: 30 } });
    const waiting = await stepOf(runId, 'ok', 'waiting');
    expect(waiting.input).toMatchObject({ prompt: 'Refund 30?' });
    expect((await p.client.getRun(runId)).status).toBe('waiting');
    await p.client.resumeRun(runId, { nodeId: 'ok', decision: 'approve', payload: { note: 'ok by Ann' } });
    const again = await p.client.resumeRun(runId, { nodeId: 'ok', decision: 'reject' }).catch((e) => e);
    expect(again).toBeInstanceOf(WeftApiError);
    expect(again.status).toBe(409);
    const run = await p.client.waitForRun(runId);
    expect(run.status).toBe('succeeded');
    expect(run.output).toEqual({ refund: { refunded: 30, note: 'ok by Ann' } });
    expect(run.steps.find((s) => s.nodeId === 'declined')!.status).toBe('skipped');
    const types = (await p.client.allRunEvents(runId)).map((e) => e.type);
    expect(types.filter((x) => x === 'approval.resolved')).toHaveLength(1);
  });

  it('takes the rejected path on reject', async () => {
    const wf = await publish('reject', approvalFlow);
    const { runId } = await p.client.createRun({ workflowId: wf, inputs: { amount: 99 } });
    await stepOf(runId, 'ok', 'waiting');
    await p.client.resumeRun(runId, { nodeId: 'ok', decision: 'reject' });
    const run = await p.client.waitForRun(runId);
    expect(run.output).toEqual({ declined: 'declined' });
  });

  it('cancels a running run: the in-flight HTTP step is aborted and its late result changes nothing', async () => {
    const wf = await publish('cancel-running', {
      nodes: [t, { id: 'slow', type: 'http_request', config: { url: `${echo.url}/delay/4000`, timeoutMs: 20_000 } }, { id: 'after', type: 'transform', config: { expression: "'never'" } }],
      edges: [edge('t', 'slow'), edge('slow', 'after')],
    });
    const { runId } = await p.client.createRun({ workflowId: wf });
    await stepOf(runId, 'slow', 'running');
    const started = Date.now();
    await p.client.cancelRun(runId);
    const run = await p.client.waitForRun(runId);
    expect(run.status).toBe('cancelled');
    expect(Date.now() - started).toBeLessThan(3000);
    expect(run.steps.find((s) => s.nodeId === 'slow')!.status).toBe('cancelled');
    expect(run.steps.some((s) => s.nodeId === 'after')).toBe(false);
    await new Promise((r) => setTimeout(r, 300));
    const later = await p.client.getRun(runId);
    expect(later.status).toBe('cancelled');
    expect(later.steps.find((s) => s.nodeId === 'slow')!.status).toBe('cancelled');
    await expect(p.client.cancelRun(runId)).rejects.toMatchObject({ status: 409 });
  });

  it('cancels a waiting run and the child run of a sub-workflow', async () => {
    const child = await publish('child-waits', { nodes: [t, { id: 'nap', type: 'delay', config: { durationMs: 60_000 } }], edges: [edge('t', 'nap')] });
    const parent = await publish('parent-waits', { nodes: [t, { id: 'sub', type: 'sub_workflow', config: { workflowId: child } }], edges: [edge('t', 'sub')] });
    const { runId } = await p.client.createRun({ workflowId: parent });
    const childRun = await until('child run waiting', async () => (await p.client.listRuns({ workflowId: child })).items.find((r) => r.status === 'waiting'));
    expect(childRun.parentRunId).toBe(runId);
    await p.client.cancelRun(runId);
    expect((await p.client.waitForRun(runId)).status).toBe('cancelled');
    expect((await p.client.waitForRun(childRun.id)).status).toBe('cancelled');
  });

  it('retries a failed run in place, keeping successful steps, and from a chosen node', async () => {
    const wf = await publish('retry', {
      nodes: [
        t,
        { id: 'first', type: 'http_request', config: { url: `${echo.url}/echo?step=first` } },
        { id: 'flaky', type: 'http_request', config: { url: `${echo.url}/status/{{ input.code }}` } },
        { id: 'last', type: 'transform', config: { expression: "'done'" } },
      ],
      edges: [edge('t', 'first'), edge('first', 'flaky'), edge('flaky', 'last')],
    });
    const { runId } = await p.client.createRun({ workflowId: wf, inputs: { code: 500 } });
    const failed = await p.client.waitForRun(runId);
    expect(failed.status).toBe('failed');
    const firstCalls = () => echo.requests.filter((r) => r.query.step === 'first').length;
    const callsBefore = firstCalls();

    // The remote side is still down: retry fails again, as a second attempt of the same node.
    await p.client.retryRun(runId);
    const again = await until('second failure', async () => {
      const r = await p.client.getRun(runId);
      return r.status === 'failed' && r.steps.filter((s) => s.nodeId === 'flaky').length === 2 ? r : undefined;
    });
    expect(again.steps.filter((s) => s.nodeId === 'flaky').map((s) => [s.attempt, s.status])).toEqual([[1, 'failed'], [2, 'failed']]);
    expect(firstCalls()).toBe(callsBefore); // the successful step was kept, not re-run

    // From a chosen node: `first` runs again (attempt 2) and everything after it.
    await p.client.retryRun(runId, { fromNodeId: 'first' });
    await until('third failure', async () => {
      const r = await p.client.getRun(runId);
      return r.status === 'failed' && r.steps.filter((s) => s.nodeId === 'flaky').length === 3 ? r : undefined;
    });
    expect(firstCalls()).toBe(callsBefore + 1);
    const types = (await p.client.allRunEvents(runId)).map((e) => e.type);
    expect(types.filter((x) => x === 'run.retry_requested')).toHaveLength(2);
    expect(types.filter((x) => x === 'run.failed')).toHaveLength(3);
    await expect(p.client.retryRun(runId, { fromNodeId: 'ghost' })).rejects.toMatchObject({ status: 400 });
  });

  it('keeps a delay timer through a restart of every worker and fires it exactly once', async () => {
    const wf = await publish('durable-timer', {
      nodes: [t, { id: 'wait', type: 'delay', config: { durationMs: 800 } }, { id: 'after', type: 'transform', config: { expression: 'steps.wait.output.resumedAt' } }],
      edges: [edge('t', 'wait'), edge('wait', 'after')],
    });
    const { runId } = await p.client.createRun({ workflowId: wf });
    await stepOf(runId, 'wait', 'waiting');
    await p.stopWorkers();
    // Lose the delayed job too, as a Redis restart without persistence would.
    const { Redis } = await import('ioredis');
    const redis = new Redis(p.redisUrl);
    const keys = await redis.keys(`${queuePrefix(p.prefix, 'orchestrator')}:*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
    await new Promise((r) => setTimeout(r, 1200));
    await p.startWorkers();
    const run = await p.client.waitForRun(runId);
    expect(run.status).toBe('succeeded');
    const types = (await p.client.allRunEvents(runId)).map((e) => e.type);
    expect(types.filter((x) => x === 'timer.fired')).toHaveLength(1);
    expect(run.steps.filter((s) => s.nodeId === 'after')).toHaveLength(1);
  });

  it('streams a live run to a client that connects late: snapshot, then every later event in order, then closes', async () => {
    const wf = await publish('live', {
      nodes: [t, { id: 'ok', type: 'wait_for_approval', config: { prompt: 'go?' } }, { id: 'pause', type: 'delay', config: { durationMs: 200 } }, { id: 'end', type: 'transform', config: { expression: "'done'" } }],
      edges: [edge('t', 'ok'), edge('ok', 'pause', 'approved'), edge('pause', 'end')],
    });
    const { runId } = await p.client.createRun({ workflowId: wf });
    await stepOf(runId, 'ok', 'waiting');
    const live = new WeftClient({ baseUrl: p.url, apiKey: p.apiKey, WebSocket: WebSocket as never });
    const messages: LiveMessage[] = [];
    const handle = live.liveRun(runId, (m) => messages.push(m));
    await until('snapshot', async () => (messages.length ? true : undefined));
    await p.client.resumeRun(runId, { nodeId: 'ok', decision: 'approve' });
    const closed = await handle.closed;
    expect(closed.code).toBe(1000);
    const [snapshot, ...rest] = messages;
    expect(snapshot!.type).toBe('snapshot');
    const lastSeq = (snapshot as { run: { lastSeq: number; status: string } }).run.lastSeq;
    expect((snapshot as { run: { status: string } }).run.status).toBe('waiting');
    const seqs = rest.flatMap((m) => (m.type === 'event' && m.event.seq !== null ? [m.event.seq] : []));
    const all = await p.client.allRunEvents(runId);
    expect(seqs).toEqual(all.filter((e) => e.seq > lastSeq).map((e) => e.seq));
    expect(all.at(-1)!.type).toBe('run.succeeded');
  });

  it('times out a step whose worker is gone: the orchestrator side enforces the deadline and the late result is discarded', async () => {
    const wf = await publish('dead-worker', {
      nodes: [t, { id: 'slow', type: 'http_request', config: { url: `${echo.url}/delay/1500`, timeoutMs: 60_000 } }],
      edges: [edge('t', 'slow')],
    });
    const { runId } = await p.client.createRun({ workflowId: wf });
    const step = await stepOf(runId, 'slow', 'running');
    // As if the worker holding the step died: its claim no longer holds and the deadline has passed.
    await p.db.pool.query(`UPDATE run_steps SET fence = fence + 100, deadline_at = now() - interval '5 seconds' WHERE id = $1`, [step.id]);
    const run = await p.client.waitForRun(runId);
    expect(run.status).toBe('failed');
    expect(run.steps.find((s) => s.id === step.id)!.error).toMatchObject({ code: 'timeout' });
    await new Promise((r) => setTimeout(r, 1700)); // the "dead" worker's request finishes now
    const later = await p.client.getRun(runId);
    expect(later.steps.find((s) => s.id === step.id)!.status).toBe('failed');
    expect(later.steps.find((s) => s.id === step.id)!.output).toBeNull();
  });
});
