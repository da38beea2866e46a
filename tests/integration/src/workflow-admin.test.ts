import { tickSchedules } from '@weft/orchestrator';
import { startEchoServer, type EchoServer } from '@weft/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callAs, mintKey } from './accounts-http';
import { apiCall } from './api-http';
import { startPlatform, type Platform } from './platform';
import { startWebhooksService, type WebhooksService } from './webhooks-service';

// Workflow management (issue 16) over real HTTP: search and paging, rename/tag/enable, duplicate,
// delete, version diff and rollback, test runs of the draft with pinned outputs.
let p: Platform;
let echo: EchoServer;
let hooks: WebhooksService;
const keys: Record<string, string> = {};

beforeAll(async () => {
  [p, echo] = await Promise.all([startPlatform(), startEchoServer()]);
  hooks = await startWebhooksService(p);
  for (const role of ['viewer', 'operator', 'editor']) keys[role] = await mintKey(p.url, p.apiKey, role);
});
afterAll(async () => {
  await hooks?.stop();
  await p?.stop();
  await echo?.close();
});

const http = (method: string, path: string, body?: unknown, key?: string) => apiCall(p, method, path, body, key);
const definition = (url: string) => ({
  nodes: [
    { id: 'trigger', type: 'trigger', config: {} },
    { id: 'fetch', type: 'http_request', config: { method: 'GET', url } },
    { id: 'shape', type: 'transform', config: { expression: 'steps.fetch.output.status' } },
  ],
  edges: [
    { source: 'trigger', target: 'fetch' },
    { source: 'fetch', target: 'shape' },
  ],
});

describe('Listing workflows', () => {
  it('searches the name case-insensitively, filters by tag and pages with a cursor past 200 workflows', async () => {
    const prefix = `Invoice ${crypto.randomUUID().slice(0, 8)}`;
    for (let i = 0; i < 205; i++) await p.client.createWorkflow({ name: `${prefix} #${i}`, ...(i % 50 === 0 ? { tags: ['billing'] } : {}) });
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await p.client.listWorkflows({ q: prefix.toLowerCase(), limit: 200, ...(cursor ? { cursor } : {}) });
      seen.push(...page.items.map((w) => w.name));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toHaveLength(205);
    expect(new Set(seen).size).toBe(205);
    expect(seen[0]).toBe(`${prefix} #204`);
    const tagged = await p.client.listWorkflows({ q: prefix, tag: 'billing' });
    expect(tagged.items.map((w) => w.name).sort()).toEqual([0, 50, 100, 150, 200].map((i) => `${prefix} #${i}`).sort());
  });

  it('refuses a malformed tag with 400 naming querystring.tag', async () => {
    const r = await http('GET', '/v1/workflows?tag=Not%20A%20Tag');
    expect(r.status).toBe(400);
    expect(r.body.errors).toEqual([expect.objectContaining({ path: 'querystring.tag' })]);
  });
});

describe('Changing a workflow', () => {
  it('renames, describes and tags it, and records who did in the audit log', async () => {
    const wf = await p.client.createWorkflow({ name: 'before' });
    const after = await p.client.updateWorkflow(wf.id, { name: 'after', description: 'now described', tags: ['ops', 'eu'] });
    expect(after).toMatchObject({ id: wf.id, name: 'after', description: 'now described', tags: ['ops', 'eu'], enabled: true });
    expect(await p.client.getWorkflow(wf.id)).toMatchObject({ name: 'after', tags: ['ops', 'eu'] });
    const audit = await callAs(p.url, p.apiKey, 'GET', '/v1/audit-logs?action=workflow.updated');
    expect(audit.body.items[0]).toMatchObject({ action: 'workflow.updated', target: { type: 'workflow', id: wf.id } });
  });

  it('answers 400 naming the path of a bad field, and 400 for an empty change', async () => {
    const wf = await p.client.createWorkflow({ name: 'x' });
    const bad = await http('PATCH', `/v1/workflows/${wf.id}`, { tags: ['UPPER'] });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([expect.objectContaining({ path: 'body.tags[0]' })]);
    const name = await http('PATCH', `/v1/workflows/${wf.id}`, { name: '' });
    expect(name.body.errors).toEqual([expect.objectContaining({ path: 'body.name' })]);
    expect((await http('PATCH', `/v1/workflows/${wf.id}`, {})).status).toBe(400);
  });

  it('lets a viewer and an operator read but not rename, disable, duplicate or delete (403)', async () => {
    const wf = await p.client.createWorkflow({ name: 'guarded' });
    for (const role of ['viewer', 'operator']) {
      expect((await http('PATCH', `/v1/workflows/${wf.id}`, { enabled: false }, keys[role])).status, role).toBe(403);
      expect((await http('DELETE', `/v1/workflows/${wf.id}`, undefined, keys[role])).status, role).toBe(403);
      expect((await http('POST', `/v1/workflows/${wf.id}/duplicate`, {}, keys[role])).status, role).toBe(403);
      expect((await http('GET', `/v1/workflows/${wf.id}`, undefined, keys[role])).status, role).toBe(200);
    }
    expect((await http('PATCH', `/v1/workflows/${wf.id}`, { name: 'by an editor' }, keys.editor)).status).toBe(200);
  });

  it("answers 404 to another org's rename, duplicate, delete, diff and rollback", async () => {
    const wf = await p.client.createWorkflow({ name: 'ours', definition: definition(`${echo.url}/items`) });
    await p.client.publishVersion(wf.id);
    const theirs = await p.newOrgClient();
    const calls = [
      () => theirs.updateWorkflow(wf.id, { name: 'stolen' }),
      () => theirs.duplicateWorkflow(wf.id),
      () => theirs.deleteWorkflow(wf.id),
      () => theirs.diffVersions(wf.id, 1, 'draft'),
      () => theirs.rollbackVersion(wf.id, 1),
    ];
    for (const call of calls) await expect(call()).rejects.toMatchObject({ status: 404 });
    expect(await p.client.getWorkflow(wf.id)).toMatchObject({ name: 'ours' });
  });
});

describe('Duplicating and deleting', () => {
  it('duplicates a workflow as a new draft with the same definition and tags and no version', async () => {
    const wf = await p.client.createWorkflow({ name: 'original', tags: ['a'], definition: definition('https://example.com') });
    await p.client.publishVersion(wf.id);
    const copy = await p.client.duplicateWorkflow(wf.id);
    expect(copy).toMatchObject({ name: 'original (copy)', tags: ['a'], latestVersion: null, draft: (await p.client.getWorkflow(wf.id)).draft });
    expect(copy.id).not.toBe(wf.id);
    expect((await p.client.listVersions(copy.id)).items).toEqual([]);
  });

  it('deletes a workflow: 404 from then on, out of the list, its runs kept, its schedules fire nothing and its webhooks answer 410', async () => {
    const wf = await p.client.createWorkflow({ name: `doomed ${crypto.randomUUID()}`, definition: definition(`${echo.url}/items`) });
    await p.client.publishVersion(wf.id);
    const { runId } = await p.client.createRun({ workflowId: wf.id });
    await p.client.waitForRun(runId);
    const hook = await callAs(p.url, p.apiKey, 'POST', `/v1/workflows/${wf.id}/webhooks`, { verification: { scheme: 'none' } });
    const schedule = await p.client.createSchedule(wf.id, { cron: '* * * * *', timezone: 'UTC' });
    const due = new Date('2026-05-01T10:00:00Z');
    await p.db.pool.query('UPDATE schedules SET next_run_at = $2 WHERE id = $1', [schedule.id, due]);

    expect((await http('DELETE', `/v1/workflows/${wf.id}`)).status).toBe(204);
    expect((await http('GET', `/v1/workflows/${wf.id}`)).status).toBe(404);
    expect((await http('DELETE', `/v1/workflows/${wf.id}`)).status).toBe(404);
    expect((await p.client.listWorkflows({ q: wf.name })).items).toEqual([]);
    expect((await p.client.getRun(runId)).status).toBe('succeeded');
    expect((await http('POST', '/v1/runs', { workflowId: wf.id })).status).toBe(404);

    const delivery = await hooks.deliver(hook.body.id, JSON.stringify({ hello: 1 }));
    expect(delivery.status).toBe(410);
    const ticked = await tickSchedules(p.db.pool, p.queues, { misfireGraceMs: 10_000, windowMs: 3_600_000, maxFires: 100, batch: 100 }, undefined, new Date(due.getTime() + 2_000));
    expect(ticked.started).toBe(0);
    expect((await p.client.listRuns({ workflowId: wf.id })).items.map((r) => r.id)).toEqual([runId]);
  });
});

describe('Disabling a workflow', () => {
  it('refuses API runs and webhook deliveries with a 409 that says how to enable it, and lets test runs of the draft through', async () => {
    const wf = await p.client.createWorkflow({ name: 'switchable', definition: definition(`${echo.url}/items`) });
    await p.client.publishVersion(wf.id);
    const hook = await callAs(p.url, p.apiKey, 'POST', `/v1/workflows/${wf.id}/webhooks`, { verification: { scheme: 'none' } });
    await p.client.updateWorkflow(wf.id, { enabled: false });
    expect((await p.client.listWorkflows({ enabled: false })).items.map((w) => w.id)).toContain(wf.id);

    const refused = await http('POST', '/v1/runs', { workflowId: wf.id });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ title: 'The workflow is disabled' });
    expect(refused.body.detail).toContain('"enabled": true');
    const version = (await p.client.listVersions(wf.id)).items[0]!;
    expect((await http('POST', '/v1/runs', { workflowVersionId: version.id })).status).toBe(409);
    expect((await hooks.deliver(hook.body.id, '{}')).status).toBe(409);
    expect((await http('POST', '/v1/runs', { workflowId: wf.id, draft: true })).status).toBe(202);

    await p.client.updateWorkflow(wf.id, { enabled: true });
    expect((await http('POST', '/v1/runs', { workflowId: wf.id })).status).toBe(202);
  });
});

describe('Versions', () => {
  it('diffs two versions node by node with config fields old → new, and rolls back by publishing the old one again', async () => {
    const wf = await p.client.createWorkflow({ name: 'versioned', definition: definition('https://a.example/items') });
    await p.client.publishVersion(wf.id);
    const v2 = definition('https://b.example/items');
    v2.nodes.push({ id: 'notify', type: 'transform', config: { expression: 'steps.shape.output' } });
    v2.edges.push({ source: 'shape', target: 'notify' });
    await p.client.publishVersion(wf.id, v2);

    const diff = await p.client.diffVersions(wf.id, 1, 2);
    expect(diff).toMatchObject({ from: 1, to: 2, same: false });
    expect(diff.nodes.added).toEqual([{ id: 'notify', type: 'transform' }]);
    expect(diff.nodes.changed).toEqual([{ id: 'fetch', type: 'http_request', fields: [{ path: 'config.url', change: 'changed', from: 'https://a.example/items', to: 'https://b.example/items' }] }]);
    expect(diff.edges.added).toEqual([{ source: 'shape', target: 'notify' }]);
    expect((await p.client.diffVersions(wf.id, 2, 'draft')).nodes.removed).toEqual([{ id: 'notify', type: 'transform' }]);

    const rolled = await p.client.rollbackVersion(wf.id, 1);
    expect(rolled.version).toBe(3);
    expect((await p.client.diffVersions(wf.id, 1, 3)).same).toBe(true);
    expect((await p.client.getWorkflow(wf.id)).latestVersion).toBe(3);
    const listed = await p.client.listVersions(wf.id);
    expect(listed.items.map((v) => v.version)).toEqual([3, 2, 1]);
    expect(listed.items[0]!.publishedBy).toMatchObject({ type: 'api_key' });
  });

  it('answers 400 naming querystring.from for a bad side and 404 for a version that does not exist', async () => {
    const wf = await p.client.createWorkflow({ name: 'diffs' });
    const bad = await http('GET', `/v1/workflows/${wf.id}/versions/diff?from=zero&to=draft`);
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].path).toBe('querystring.from');
    expect((await http('GET', `/v1/workflows/${wf.id}/versions/diff?from=7&to=draft`)).status).toBe(404);
    const rollback = await http('POST', `/v1/workflows/${wf.id}/rollback`, { version: 'one' });
    expect(rollback.body.errors).toEqual([expect.objectContaining({ path: 'body.version' })]);
  });
});

describe('Test runs of the draft', () => {
  it('runs the current draft without publishing a version, marked test and manual, filterable from the run lists', async () => {
    const wf = await p.client.createWorkflow({ name: 'drafting', definition: definition(`${echo.url}/items`) });
    const { runId } = await p.client.createRun({ workflowId: wf.id, draft: true });
    const run = await p.client.waitForRun(runId);
    expect(run).toMatchObject({ status: 'succeeded', test: true });
    expect(run.triggerType).toBe('manual');
    expect((await p.client.getWorkflow(wf.id)).latestVersion).toBeNull();
    expect((await p.client.listVersions(wf.id)).items).toEqual([]);
    expect((await http('GET', `/v1/workflow-versions/${run.workflowVersionId}`)).status).toBe(404);
    // The snapshot is no version anyone can start again.
    expect((await http('POST', '/v1/runs', { workflowVersionId: run.workflowVersionId })).status).toBe(404);
    expect((await p.client.listRuns({ workflowId: wf.id, test: true })).items.map((r) => r.id)).toEqual([runId]);
    expect((await p.client.listRuns({ workflowId: wf.id, test: false })).items).toEqual([]);
    expect((await http('POST', '/v1/runs', { workflowId: wf.id })).status).toBe(409);
  });

  it('refuses an invalid draft with 400 naming the node, and an operator with 403', async () => {
    const wf = await p.client.createWorkflow({ name: 'broken', definition: { nodes: [{ id: 'trigger', type: 'trigger', config: {} }, { id: 'x', type: 'transform', config: {} }], edges: [{ source: 'trigger', target: 'x' }] } });
    const r = await http('POST', '/v1/runs', { workflowId: wf.id, draft: true });
    expect(r.status).toBe(400);
    expect(r.body.errors).toContainEqual(expect.objectContaining({ nodeId: 'x' }));
    expect((await http('POST', '/v1/runs', { workflowId: wf.id, draft: true }, keys.operator)).status).toBe(403);
    const noWorkflow = await http('POST', '/v1/runs', { workflowVersionId: crypto.randomUUID(), draft: true });
    expect(noWorkflow.body.errors).toEqual([expect.objectContaining({ path: 'body.draft' })]);
  });

  it('pins the outputs of chosen nodes from an earlier run: those are not executed again, the others are', async () => {
    const wf = await p.client.createWorkflow({ name: 'pinned', definition: definition(`${echo.url}/items?tag=pin-${crypto.randomUUID()}`) });
    const calls = () => echo.requests.filter((r) => r.path === '/items' && r.query.tag?.startsWith('pin-')).length;
    const first = await p.client.waitForRun((await p.client.createRun({ workflowId: wf.id, draft: true })).runId);
    expect(first.status).toBe('succeeded');
    const before = calls();
    const pinnedOutput = first.steps.find((s) => s.nodeId === 'fetch')!.output;

    const second = await p.client.waitForRun((await p.client.createRun({ workflowId: wf.id, draft: true, pinFrom: { runId: first.id, nodeIds: ['fetch'] } })).runId);
    expect(second.status).toBe('succeeded');
    expect(calls()).toBe(before);
    expect(second.steps.find((s) => s.nodeId === 'fetch')!.output).toEqual(pinnedOutput);
    expect(second.steps.find((s) => s.nodeId === 'shape')!.output).toBe(200);

    const missing = await http('POST', '/v1/runs', { workflowId: wf.id, draft: true, pinFrom: { runId: first.id, nodeIds: ['fetch', 'nowhere'] } });
    expect(missing.status).toBe(400);
    expect(missing.body.errors).toEqual([expect.objectContaining({ path: 'body.pinFrom.nodeIds[1]', nodeId: 'nowhere' })]);
    const other = await p.client.createWorkflow({ name: 'other', definition: definition(`${echo.url}/items`) });
    expect((await http('POST', '/v1/runs', { workflowId: other.id, draft: true, pinFrom: { runId: first.id, nodeIds: ['fetch'] } })).status).toBe(404);
    expect((await http('POST', '/v1/runs', { workflowId: wf.id, pinFrom: { runId: first.id, nodeIds: ['fetch'] } })).body.errors).toEqual([expect.objectContaining({ path: 'body.pinFrom' })]);
  });
});

describe('Statistics for the list', () => {
  it('gives each workflow its last run and runs per day, leaving test runs out', async () => {
    const wf = await p.client.createWorkflow({ name: 'counted', definition: definition(`${echo.url}/items`) });
    await p.client.publishVersion(wf.id);
    const ok = await p.client.waitForRun((await p.client.createRun({ workflowId: wf.id })).runId);
    await p.client.waitForRun((await p.client.createRun({ workflowId: wf.id, draft: true })).runId);
    const empty = await p.client.createWorkflow({ name: 'never ran' });
    const { items } = await p.client.workflowStats([wf.id, empty.id], 7);
    expect(items[0]).toMatchObject({ workflowId: wf.id, lastRun: { id: ok.id, status: 'succeeded' } });
    expect(items[0]!.daily).toHaveLength(7);
    expect(items[0]!.daily.at(-1)).toMatchObject({ succeeded: 1, failed: 0, total: 1 });
    expect(items[1]).toMatchObject({ workflowId: empty.id, lastRun: null });
    expect((await http('GET', '/v1/workflows/stats?ids=nope')).body.errors[0].path).toMatch(/^querystring\.ids/);
  });
});
