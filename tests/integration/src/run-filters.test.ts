import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiCall } from './api-http';
import { startPlatform, type Platform } from './platform';

// The dashboard's run list: a creation time range on GET /v1/runs and counts per status.
let p: Platform;
let workflowId: string;
let before: string[];
let after: string[];
let middle: string;

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  // No workers: the runs stay queued, so the counts are known.
  p = await startPlatform({ workers: false });
  const wf = await p.client.createWorkflow({ name: 'counted' });
  await p.client.publishVersion(wf.id, { nodes: [{ id: 'start', type: 'trigger', config: {} }], edges: [] });
  workflowId = wf.id;
  before = [(await p.client.createRun({ workflowId })).runId, (await p.client.createRun({ workflowId })).runId];
  await pause(20);
  middle = new Date().toISOString();
  await pause(20);
  after = [(await p.client.createRun({ workflowId })).runId];
});
afterAll(async () => {
  await p?.stop();
});

describe('Listing runs by creation time', () => {
  it('since keeps the runs created at or after the instant, until the ones before it', async () => {
    expect((await p.client.listRuns({ since: middle })).items.map((r) => r.id)).toEqual(after);
    expect((await p.client.listRuns({ until: middle })).items.map((r) => r.id)).toEqual([...before].reverse());
  });

  it('pages through a time range with the cursor and the other filters', async () => {
    const first = await p.client.listRuns({ until: middle, limit: 1, workflowId, status: 'queued' });
    expect(first.items.map((r) => r.id)).toEqual([before[1]]);
    const second = await p.client.listRuns({ until: middle, limit: 1, workflowId, status: 'queued', cursor: first.nextCursor! });
    expect(second.items.map((r) => r.id)).toEqual([before[0]]);
    expect(second.nextCursor).toBeNull();
  });

  it('refuses a time that is not an ISO-8601 instant, naming the field', async () => {
    const r = await apiCall(p, 'GET', '/v1/runs?since=yesterday');
    expect(r.status).toBe(400);
    expect(r.body.errors).toEqual([expect.objectContaining({ path: 'querystring.since' })]);
  });
});

describe('Counting runs per status', () => {
  it('counts every status, in the range and for the org only', async () => {
    const all = await p.client.countRuns();
    expect(all.counts).toEqual({ queued: 3, running: 0, waiting: 0, succeeded: 0, failed: 0, cancelled: 0 });
    expect((await p.client.countRuns({ since: middle, workflowId })).counts.queued).toBe(1);
    expect((await p.client.countRuns({ until: middle })).counts.queued).toBe(2);
    const other = await p.newOrgClient();
    expect((await other.countRuns()).counts.queued).toBe(0);
  });

  it('refuses a workflow id that is not a UUID', async () => {
    const r = await apiCall(p, 'GET', '/v1/runs/counts?workflowId=nope');
    expect(r.status).toBe(400);
    expect(r.body.errors).toEqual([expect.objectContaining({ path: 'querystring.workflowId' })]);
  });
});
