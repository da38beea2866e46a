import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiCall } from './api-http';
import { startPlatform, type Platform } from './platform';

// GET /v1/runs?q=: free text over the runs' error messages (the dashboard's runs filter).
let p: Platform;
let workflowId: string;
let other: string;
const ids: Record<string, string> = {};

/** Marks the run failed with `error` straight in SQL: the search reads what the orchestrator stores. */
async function fail(runId: string, error: unknown) {
  const c = new pg.Client({ connectionString: p.databaseUrl });
  await c.connect();
  try {
    await c.query(`UPDATE runs SET status = 'failed', error = $2::jsonb WHERE id = $1`, [runId, JSON.stringify(error)]);
  } finally {
    await c.end();
  }
}

beforeAll(async () => {
  p = await startPlatform({ workers: false });
  const publish = async (name: string) => {
    const wf = await p.client.createWorkflow({ name });
    await p.client.publishVersion(wf.id, { nodes: [{ id: 'start', type: 'trigger', config: {} }], edges: [] });
    return wf.id;
  };
  workflowId = await publish('searched');
  other = await publish('other');
  const start = async (wf: string) => (await p.client.createRun({ workflowId: wf })).runId;
  ids.timeout1 = await start(workflowId);
  ids.http503 = await start(workflowId);
  ids.timeout2 = await start(other);
  ids.percent = await start(workflowId);
  ids.plain = await start(workflowId);
  ids.clean = await start(workflowId);
  await fail(ids.timeout1, { code: 'step-failed', message: 'Step "call": Request TIMED OUT after 30000 ms' });
  await fail(ids.http503, { code: 'step-failed', message: 'Step "call": HTTP 503 Service Unavailable from http://api.test/orders' });
  await fail(ids.timeout2, { code: 'step-failed', message: 'Step "fetch": request timed out after 5000 ms' });
  await fail(ids.percent, { code: 'step-failed', message: 'quota at 100% for user_name' });
  await fail(ids.plain, 'plain text error: connection refused');
});
afterAll(async () => {
  await p?.stop();
});

const found = async (q: Record<string, string | number>) => (await p.client.listRuns({ ...q })).items.map((r) => r.id);

describe('Searching runs by error message', () => {
  it('finds the runs whose error message contains the text, case-insensitively, newest first', async () => {
    expect(await found({ q: 'timed out' })).toEqual([ids.timeout2, ids.timeout1]);
    expect(await found({ q: '503 service' })).toEqual([ids.http503]);
    expect(await found({ q: 'nothing like this' })).toEqual([]);
  });

  it('searches an error stored as plain text too', async () => {
    expect(await found({ q: 'Connection Refused' })).toEqual([ids.plain]);
  });

  it('takes % and _ literally', async () => {
    expect(await found({ q: '100%' })).toEqual([ids.percent]);
    expect(await found({ q: 'user_name' })).toEqual([ids.percent]);
    expect(await found({ q: 'use_' })).toEqual([]); // as a wildcard, _ would match the r of "user"
  });

  it('combines with the other filters and pages with the cursor', async () => {
    expect(await found({ q: 'timed out', workflowId })).toEqual([ids.timeout1]);
    expect(await found({ q: 'timed out', status: 'queued' })).toEqual([]);
    const first = await p.client.listRuns({ q: 'step', limit: 1 });
    expect(first.items.map((r) => r.id)).toEqual([ids.timeout2]);
    const second = await p.client.listRuns({ q: 'step', limit: 1, cursor: first.nextCursor! });
    expect(second.items.map((r) => r.id)).toEqual([ids.http503]);
    const third = await p.client.listRuns({ q: 'step', limit: 5, cursor: second.nextCursor! });
    expect(third.items.map((r) => r.id)).toEqual([ids.timeout1]);
    expect(third.nextCursor).toBeNull();
  });

  it("finds only the org's runs", async () => {
    const stranger = await p.newOrgClient();
    expect((await stranger.listRuns({ q: 'timed out' })).items).toEqual([]);
  });

  it('refuses a text shorter than 3 characters, naming the field', async () => {
    const r = await apiCall(p, 'GET', '/v1/runs?q=ab');
    expect(r.status).toBe(400);
    expect(r.body.errors).toEqual([expect.objectContaining({ path: 'querystring.q' })]);
  });
});
