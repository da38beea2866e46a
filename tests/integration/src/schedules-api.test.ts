import { WeftApiError } from '@weft/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiCall } from './api-http';
import { startPlatform, type Platform } from './platform';

let p: Platform;
let workflowId: string;

beforeAll(async () => {
  p = await startPlatform({ workers: false });
  const wf = await p.client.createWorkflow({ name: 'scheduled' });
  await p.client.publishVersion(wf.id, {
    nodes: [
      { id: 'start', type: 'trigger', config: { inputSchema: { type: 'object', properties: { region: { type: 'string' } }, additionalProperties: false } } },
      { id: 'echo', type: 'transform', config: { expression: 'input' } },
    ],
    edges: [{ source: 'start', target: 'echo' }],
  });
  workflowId = wf.id;
});
afterAll(async () => {
  await p?.stop();
});

const http = (method: string, path: string, body?: unknown, key?: string) => apiCall(p, method, path, body, key);
const create = (body: unknown) => http('POST', `/v1/workflows/${workflowId}/schedules`, body);

describe('Creating a schedule', () => {
  it('answers 201 with id, cron, timezone, enabled and the next 5 fire times', async () => {
    const r = await create({ cron: '0 9 * * MON-FRI', timezone: 'Europe/Berlin', inputs: { region: 'eu' } });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ cron: '0 9 * * MON-FRI', timezone: 'Europe/Berlin', enabled: true, overlap: 'skip', catchup: 'latest', inputs: { region: 'eu' }, workflowId });
    expect(r.body.nextRuns).toHaveLength(5);
    for (const t of r.body.nextRuns) expect(new Date(t).getTime()).toBeGreaterThan(Date.now() - 1000);
    expect(r.body.nextRunAt).toBe(r.body.nextRuns[0]);
  });

  it('accepts 6 fields (seconds first)', async () => {
    const r = await create({ cron: '*/15 * * * * *', timezone: 'UTC', overlap: 'allow', catchup: 'all' });
    expect(r.status).toBe(201);
    const gaps = r.body.nextRuns.slice(1).map((t: string, i: number) => new Date(t).getTime() - new Date(r.body.nextRuns[i]).getTime());
    expect(gaps).toEqual([15_000, 15_000, 15_000, 15_000]);
  });

  it('refuses an invalid cron expression with 400 naming body.cron', async () => {
    for (const cron of ['61 * * * *', '* * * *', '* * * * * * *', 'every day', '0 0 30 2 *']) {
      const r = await create({ cron, timezone: 'UTC' });
      expect(r.status, cron).toBe(400);
      expect(r.body.errors, cron).toEqual([expect.objectContaining({ path: 'body.cron' })]);
    }
  });

  it('refuses an unknown time zone or an offset with 400 naming body.timezone', async () => {
    for (const timezone of ['Mars/Olympus_Mons', '+02:00', 'CET+1']) {
      const r = await create({ cron: '0 9 * * *', timezone });
      expect(r.status, timezone).toBe(400);
      expect(r.body.errors, timezone).toEqual([expect.objectContaining({ path: 'body.timezone' })]);
    }
  });

  it('refuses unknown policies and fields', async () => {
    expect((await create({ cron: '0 9 * * *', timezone: 'UTC', overlap: 'queue' })).body.errors).toEqual([expect.objectContaining({ path: 'body.overlap' })]);
    expect((await create({ cron: '0 9 * * *', timezone: 'UTC', catchup: 'some' })).body.errors).toEqual([expect.objectContaining({ path: 'body.catchup' })]);
    expect((await create({ cron: '0 9 * * *', timezone: 'UTC', startAt: 'now' })).status).toBe(400);
  });

  it('checks inputs against the trigger inputSchema like POST /v1/runs', async () => {
    const r = await create({ cron: '0 9 * * *', timezone: 'UTC', inputs: { region: 42 } });
    expect(r.status).toBe(400);
    expect(r.body.errors).toEqual([expect.objectContaining({ path: 'body.inputs.region', code: 'type', nodeId: 'start' })]);
    const extra = await create({ cron: '0 9 * * *', timezone: 'UTC', inputs: { other: 1 } });
    expect(extra.status).toBe(400);
  });

  it('answers 409 for a workflow without a published version, 404 for an unknown one', async () => {
    const draft = await p.client.createWorkflow({ name: 'draft only' });
    expect((await http('POST', `/v1/workflows/${draft.id}/schedules`, { cron: '0 9 * * *', timezone: 'UTC' })).status).toBe(409);
    expect((await http('POST', `/v1/workflows/${crypto.randomUUID()}/schedules`, { cron: '0 9 * * *', timezone: 'UTC' })).status).toBe(404);
  });
});

describe('Reading, changing and deleting a schedule', () => {
  it('gets it, lists it under its workflow, patches each field and deletes it', async () => {
    const s = (await create({ cron: '0 9 * * *', timezone: 'UTC' })).body;
    expect((await http('GET', `/v1/schedules/${s.id}`)).body).toMatchObject({ id: s.id, cron: '0 9 * * *' });
    const list = await http('GET', `/v1/workflows/${workflowId}/schedules?limit=200`);
    expect(list.body.items.map((i: { id: string }) => i.id)).toContain(s.id);

    const patched = await http('PATCH', `/v1/schedules/${s.id}`, { cron: '30 6 * * *', timezone: 'America/New_York', inputs: { region: 'us' }, overlap: 'buffer_one', catchup: 'all' });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ cron: '30 6 * * *', timezone: 'America/New_York', inputs: { region: 'us' }, overlap: 'buffer_one', catchup: 'all' });
    for (const t of patched.body.nextRuns) expect(new Date(t).getUTCMinutes()).toBe(30);

    const off = await http('PATCH', `/v1/schedules/${s.id}`, { enabled: false });
    expect(off.body).toMatchObject({ enabled: false, nextRuns: [], nextRunAt: null });
    const on = await http('PATCH', `/v1/schedules/${s.id}`, { enabled: true });
    expect(on.body.nextRuns).toHaveLength(5);

    expect((await http('PATCH', `/v1/schedules/${s.id}`, { cron: '99 * * * *' })).body.errors).toEqual([expect.objectContaining({ path: 'body.cron' })]);
    expect((await http('PATCH', `/v1/schedules/${s.id}`, { inputs: { region: 1 } })).body.errors).toEqual([expect.objectContaining({ path: 'body.inputs.region' })]);
    expect((await http('PATCH', `/v1/schedules/${s.id}`, {})).status).toBe(400);

    expect((await http('DELETE', `/v1/schedules/${s.id}`)).status).toBe(204);
    expect((await http('GET', `/v1/schedules/${s.id}`)).status).toBe(404);
    expect((await http('DELETE', `/v1/schedules/${s.id}`)).status).toBe(404);
  });

  it('is invisible to another org (404 on every route)', async () => {
    const s = (await create({ cron: '0 9 * * *', timezone: 'UTC' })).body;
    const other = await p.newOrgClient();
    const calls = [
      () => other.getSchedule(s.id),
      () => other.updateSchedule(s.id, { enabled: false }),
      () => other.deleteSchedule(s.id),
      () => other.call('GET', `/v1/schedules/${s.id}/preview`),
      () => other.call('GET', `/v1/schedules/${s.id}/fires`),
      () => other.listSchedules(workflowId),
      () => other.createSchedule(workflowId, { cron: '0 9 * * *', timezone: 'UTC' }),
    ];
    for (const call of calls) await expect(call()).rejects.toSatisfy((e: unknown) => e instanceof WeftApiError && e.status === 404);
    expect((await p.client.getSchedule(s.id)).enabled).toBe(true);
  });

  it('is managed by admins only: a viewer key reads but may not create, change or delete', async () => {
    const key = `weft_viewer_${crypto.randomUUID()}`;
    await p.db.pool.query(`INSERT INTO api_keys (id, org_id, name, prefix, hash, role) VALUES ($1, $2, 'viewer', 'weft_', encode(sha256($3::bytea), 'hex'), 'viewer')`, [crypto.randomUUID(), p.orgId, key]);
    const s = (await create({ cron: '0 9 * * *', timezone: 'UTC' })).body;
    expect((await http('GET', `/v1/schedules/${s.id}`, undefined, key)).status).toBe(200);
    expect((await http('POST', `/v1/workflows/${workflowId}/schedules`, { cron: '0 9 * * *', timezone: 'UTC' }, key)).status).toBe(403);
    expect((await http('PATCH', `/v1/schedules/${s.id}`, { enabled: false }, key)).status).toBe(403);
    expect((await http('DELETE', `/v1/schedules/${s.id}`, undefined, key)).status).toBe(403);
  });
});

describe('The preview of a schedule', () => {
  it('lists the next fires across the spring-forward change in Europe/Berlin, flagging it', async () => {
    const s = (await create({ cron: '30 2 * * *', timezone: 'Europe/Berlin' })).body;
    const r = await http('GET', `/v1/schedules/${s.id}/preview?count=3&from=2026-03-27T12:00:00Z`);
    expect(r.status).toBe(200);
    expect(r.body.fires.map((f: { local: string }) => f.local)).toEqual(['2026-03-28T02:30:00+01:00', '2026-03-29T03:00:00+02:00', '2026-03-30T02:30:00+02:00']);
    expect(r.body.fires.map((f: { dst: unknown }) => f.dst === null)).toEqual([true, false, true]);
    expect(r.body.fires[1].dst).toMatchObject({ kind: 'spring_forward', shifted: true, previousOffset: '+01:00' });
  });

  it('lists the fall-back change in October: the daily 02:30 fires once', async () => {
    const s = (await create({ cron: '30 2 * * *', timezone: 'Europe/Berlin' })).body;
    const r = await http('GET', `/v1/schedules/${s.id}/preview?count=2&from=2026-10-24T12:00:00Z`);
    expect(r.body.fires.map((f: { at: string }) => f.at)).toEqual(['2026-10-25T00:30:00.000Z', '2026-10-26T01:30:00.000Z']);
    expect(r.body.fires[0].dst).toMatchObject({ kind: 'fall_back', repeated: 'first' });
    expect(r.body.fires[1].dst).toMatchObject({ kind: 'fall_back', previousOffset: '+02:00' });
  });

  it('returns 20 fires by default and refuses a count over 200', async () => {
    const s = (await create({ cron: '0 * * * *', timezone: 'UTC' })).body;
    expect((await http('GET', `/v1/schedules/${s.id}/preview`)).body.fires).toHaveLength(20);
    expect((await http('GET', `/v1/schedules/${s.id}/preview?count=201`)).body.errors).toEqual([expect.objectContaining({ path: 'querystring.count' })]);
  });
});

describe('Runs know their trigger', () => {
  it('a run started by POST /v1/runs is an api run, and GET /v1/runs filters by triggerType', async () => {
    const { runId } = await p.client.createRun({ workflowId, inputs: {} });
    const run = await p.client.getRun(runId);
    expect(run).toMatchObject({ triggerType: 'api', triggerId: null });
    const apiRuns = await p.client.listRuns({ triggerType: 'api' });
    expect(apiRuns.items.map((r) => r.id)).toContain(runId);
    expect((await p.client.listRuns({ triggerType: 'schedule' })).items.map((r) => r.id)).not.toContain(runId);
    expect((await http('GET', '/v1/runs?triggerType=cron')).body.errors).toEqual([expect.objectContaining({ path: 'querystring.triggerType' })]);
  });
});
