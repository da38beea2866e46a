import type { WeftClient } from '@weft/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callAs, mintKey } from './accounts-http';
import { startPlatform, type Platform } from './platform';

/**
 * `POST /v1/runs/bulk`: retry or cancel every run matching a run-list filter. No workers run, so a
 * request stays as recorded (the run keeps its status; the request is on the row and in the outbox).
 */
let p: Platform;
let other: WeftClient;
beforeAll(async () => {
  p = await startPlatform({ workers: false });
  other = await p.newOrgClient();
});
afterAll(async () => {
  await p?.stop();
});

const FLOW = { nodes: [{ id: 'trigger', type: 'trigger', config: {} }], edges: [] };
const call = (body: unknown, key = p.apiKey) => callAs(p.url, key, 'POST', '/v1/runs/bulk', body);

async function workflow(client: WeftClient, name: string) {
  const wf = await client.createWorkflow({ name, definition: FLOW });
  await client.publishVersion(wf.id);
  return wf.id;
}

/** `count` runs of the workflow, set to `status` (the ids in creation order, oldest first). */
async function runs(client: WeftClient, workflowId: string, count: number, status: string) {
  const ids: string[] = [];
  for (let n = 0; n < count; n++) ids.push((await client.createRun({ workflowId })).runId);
  await p.db.pool.query(`UPDATE runs SET status = $2 WHERE id = ANY($1::uuid[])`, [ids, status]);
  return ids;
}

async function requests(ids: string[]) {
  const r = await p.db.pool.query<{ id: string; retry: boolean; cancel: boolean }>(
    `SELECT id, retry_request IS NOT NULL AS retry, cancel_requested_at IS NOT NULL AS cancel FROM runs WHERE id = ANY($1::uuid[]) ORDER BY id`,
    [ids],
  );
  return r.rows;
}

describe('Bulk retry and cancel of the runs matching a filter', () => {
  it('retries exactly the failed runs of the filtered workflow, oldest first, page by page, and never another org\'s', async () => {
    const a = await workflow(p.client, 'bulk-a');
    const b = await workflow(p.client, 'bulk-b');
    const theirs = await workflow(other, 'bulk-theirs');
    const failedA = await runs(p.client, a, 5, 'failed');
    const succeededA = await runs(p.client, a, 1, 'succeeded');
    const failedB = await runs(p.client, b, 2, 'failed');
    const failedTheirs = await runs(other, theirs, 2, 'failed');

    const first = await p.client.bulkRunAction({ action: 'retry', filter: { workflowId: a, status: 'failed' }, limit: 3 });
    expect(first).toEqual({ action: 'retry', runIds: failedA.slice(0, 3), more: true });
    const second = await p.client.bulkRunAction({ action: 'retry', filter: { workflowId: a, status: 'failed' }, limit: 3 });
    expect(second).toEqual({ action: 'retry', runIds: failedA.slice(3), more: false });
    expect(await p.client.bulkRunAction({ action: 'retry', filter: { workflowId: a }, limit: 3 })).toEqual({ action: 'retry', runIds: [], more: false });

    expect((await requests(failedA)).every((r) => r.retry && !r.cancel)).toBe(true);
    expect((await requests([...succeededA, ...failedB, ...failedTheirs])).map((r) => r.retry)).toEqual([false, false, false, false, false]);
    // Each as the single-run route asks, with its audit entry.
    const audit = await p.db.pool.query(`SELECT target_id FROM audit_logs WHERE action = 'run.retry_requested' AND target_id = ANY($1::text[])`, [failedA]);
    expect(audit.rows.map((r) => r.target_id).sort()).toEqual([...failedA].sort());

    // Without a workflow: every retryable run of the org (B's), not the other org's.
    const all = await p.client.bulkRunAction({ action: 'retry', filter: {} });
    expect(all).toEqual({ action: 'retry', runIds: failedB, more: false });
    expect((await requests(failedTheirs)).map((r) => r.retry)).toEqual([false, false]);
  });

  it('cancels the live runs matching the filter, leaves ended ones, and pages with more', async () => {
    const c = await workflow(p.client, 'bulk-cancel');
    const waiting = await runs(p.client, c, 2, 'waiting');
    const queued = await runs(p.client, c, 1, 'queued');
    const failed = await runs(p.client, c, 1, 'failed');
    const theirs = await runs(other, await workflow(other, 'bulk-cancel-theirs'), 1, 'queued');

    expect(await p.client.bulkRunAction({ action: 'cancel', filter: { workflowId: c, status: 'waiting' }, limit: 1 })).toEqual({ action: 'cancel', runIds: [waiting[0]], more: true });
    expect(await p.client.bulkRunAction({ action: 'cancel', filter: { workflowId: c }, limit: 5 })).toEqual({ action: 'cancel', runIds: [waiting[1], queued[0]], more: false });
    expect((await requests([...waiting, ...queued])).every((r) => r.cancel)).toBe(true);
    expect((await requests([...failed, ...theirs])).map((r) => r.cancel)).toEqual([false, false]);
  });

  it('answers 400 naming the path for a bad filter or action, and 403 to a viewer key', async () => {
    const bad = async (body: unknown, path: string) => {
      const r = await call(body);
      expect(r.status).toBe(400);
      expect(JSON.stringify(r.body)).toContain(path);
    };
    await bad({ action: 'retry', filter: { status: 'sleeping' } }, 'filter.status');
    await bad({ action: 'retry', filter: { status: 'running' } }, 'body.filter.status');
    await bad({ action: 'cancel', filter: { workflowId: 'not-a-uuid' } }, 'filter.workflowId');
    await bad({ action: 'cancel', filter: { since: 'yesterday' } }, 'filter.since');
    await bad({ action: 'cancel', filter: { color: 'red' } }, 'filter');
    await bad({ action: 'delete' }, 'action');
    await bad({ action: 'retry', limit: 1001 }, 'limit');

    const viewer = await mintKey(p.url, p.apiKey, 'viewer');
    const wf = await workflow(p.client, 'bulk-viewer');
    const [run] = await runs(p.client, wf, 1, 'failed');
    expect((await call({ action: 'retry', filter: { workflowId: wf } }, viewer)).status).toBe(403);
    expect((await requests([run!]))[0]).toMatchObject({ retry: false });
  });
});
