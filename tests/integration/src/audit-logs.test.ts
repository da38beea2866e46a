import { createDb, newId } from '@weft/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callAs, mintKey } from './accounts-http';
import { startPlatform, type Platform } from './platform';

let p: Platform;
beforeAll(async () => {
  p = await startPlatform({ workers: false });
});
afterAll(async () => {
  await p?.stop();
});

const call = (method: string, url: string, body?: unknown, key = p.apiKey) => callAs(p.url, key, method, url, body);
const APPROVAL = { nodes: [{ id: 'trigger', type: 'trigger', config: {} }, { id: 'approve', type: 'wait_for_approval', config: { prompt: 'ok?' } }], edges: [{ source: 'trigger', target: 'approve' }] };

interface Entry { id: string; action: string; actor: { type: string; id: string | null }; target: { type: string; id: string | null }; at: string; data: Record<string, unknown> }
async function entries(query = ''): Promise<Entry[]> {
  const r = await call('GET', `/v1/audit-logs${query}`);
  expect(r.status).toBe(200);
  return r.body.items;
}

describe('The audit log', () => {
  it('records key, secret, publish and run-control actions with the acting key, and never a secret value or a key', async () => {
    const me = (await call('GET', '/v1/me')).body.apiKey.id as string;
    const created = await call('POST', '/v1/api-keys', { name: 'auditor', role: 'viewer' });
    await call('DELETE', `/v1/api-keys/${created.body.id}`);
    await call('POST', '/v1/secrets', { name: 'AUDIT_SECRET', value: 'value-one-s3cr3t' });
    await call('PUT', '/v1/secrets/AUDIT_SECRET', { value: 'value-two-s3cr3t' });
    await call('DELETE', '/v1/secrets/AUDIT_SECRET');
    const wf = await p.client.createWorkflow({ name: 'audited', definition: APPROVAL });
    const version = await p.client.publishVersion(wf.id);

    const { runId: cancelled } = await p.client.createRun({ workflowId: wf.id });
    expect((await call('POST', `/v1/runs/${cancelled}/cancel`)).status).toBe(202);

    const { runId: waiting } = await p.client.createRun({ workflowId: wf.id });
    await p.db.pool.query(
      `INSERT INTO run_steps (id, org_id, run_id, node_id, node_type, attempt, status) VALUES ($1, $2, $3, 'approve', 'wait_for_approval', 1, 'waiting')`,
      [newId(), p.orgId, waiting],
    );
    await p.db.pool.query(`UPDATE runs SET status = 'waiting' WHERE id = $1`, [waiting]);
    expect((await call('POST', `/v1/runs/${waiting}/resume`, { nodeId: 'approve', decision: 'approve' })).status).toBe(202);

    const { runId: failed } = await p.client.createRun({ workflowId: wf.id });
    await p.db.pool.query(`UPDATE runs SET status = 'failed' WHERE id = $1`, [failed]);
    expect((await call('POST', `/v1/runs/${failed}/retry`, {})).status).toBe(202);
    await p.db.pool.query(`UPDATE runs SET status = 'failed', retry_request = NULL WHERE id = $1`, [failed]);
    expect((await call('POST', `/v1/workflows/${wf.id}/runs/retry`, {})).status).toBe(202);

    const log = await entries('?limit=200');
    const byAction = (a: string) => log.filter((e) => e.action === a);
    expect(byAction('api_key.created')[0]).toMatchObject({ actor: { type: 'api_key', id: me }, target: { type: 'api_key', id: created.body.id }, data: { name: 'auditor', role: 'viewer' } });
    expect(byAction('api_key.revoked')[0]).toMatchObject({ target: { id: created.body.id } });
    for (const a of ['secret.created', 'secret.updated', 'secret.deleted']) expect(byAction(a)[0]).toMatchObject({ actor: { id: me }, data: { name: 'AUDIT_SECRET' } });
    expect(byAction('workflow.version_published')[0]).toMatchObject({ target: { type: 'workflow', id: wf.id }, data: { versionId: version.id, version: 1 } });
    expect(byAction('run.cancel_requested')[0]).toMatchObject({ actor: { id: me }, target: { type: 'run', id: cancelled } });
    expect(byAction('run.approved')[0]).toMatchObject({ target: { type: 'run', id: waiting }, data: { nodeId: 'approve' } });
    expect(byAction('run.retry_requested')[0]).toMatchObject({ target: { type: 'run', id: failed } });
    expect(byAction('workflow.runs_retry_requested')[0]).toMatchObject({ target: { type: 'workflow', id: wf.id }, data: { runs: 1 } });
    const text = JSON.stringify(log);
    expect(text).not.toContain('s3cr3t');
    expect(text).not.toContain(created.body.key);

    // Who did it is on the objects too.
    expect((await call('GET', `/v1/workflows/${wf.id}`)).body.createdBy).toEqual({ type: 'api_key', id: me });
    expect((await call('GET', `/v1/workflow-versions/${version.id}`)).body.publishedBy).toEqual({ type: 'api_key', id: me });
    expect((await call('GET', `/v1/runs/${cancelled}`)).body.createdBy).toEqual({ type: 'api_key', id: me });
  });

  it('pages newest first with a cursor, and filters by action, actor and time', async () => {
    const admin = await mintKey(p.url, p.apiKey, 'admin');
    const adminId = (await call('GET', '/v1/me', undefined, admin)).body.apiKey.id;
    for (let i = 0; i < 5; i++) await call('POST', '/v1/api-keys', { name: `paged ${i}`, role: 'viewer' }, admin);
    const all = await entries('?limit=200');
    expect(all.map((e) => e.id)).toEqual([...all.map((e) => e.id)].sort().reverse());

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const r = await call('GET', `/v1/audit-logs?limit=2&action=api_key.created&actor=${adminId}${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...r.body.items.map((e: Entry) => e.data.name as string));
      cursor = r.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(['paged 4', 'paged 3', 'paged 2', 'paged 1', 'paged 0']);

    const oldest = all[all.length - 1]!;
    const later = await entries(`?limit=200&from=${encodeURIComponent(new Date(Date.parse(oldest.at) + 1).toISOString())}`);
    expect(later.map((e) => e.id)).not.toContain(oldest.id);
    const before = await entries(`?limit=200&to=${encodeURIComponent(new Date(Date.parse(oldest.at) + 1).toISOString())}`);
    expect(before.map((e) => e.id)).toContain(oldest.id);
    expect((await call('GET', '/v1/audit-logs?from=yesterday')).status).toBe(400);
  });

  it('is readable by admins only', async () => {
    expect((await call('GET', '/v1/audit-logs', undefined, await mintKey(p.url, p.apiKey, 'editor'))).status).toBe(403);
    expect((await call('GET', '/v1/audit-logs', undefined, await mintKey(p.url, p.apiKey, 'admin'))).status).toBe(200);
  });

  it('refuses to change or delete an entry, whoever asks the database', async () => {
    const [entry] = await entries('?limit=1');
    // The services' roles (row-level security) hold no right to change it at all.
    await expect(p.db.pool.query(`UPDATE audit_logs SET action = 'nothing' WHERE id = $1`, [entry!.id])).rejects.toThrow(/permission denied/);
    await expect(p.db.pool.query('DELETE FROM audit_logs WHERE id = $1', [entry!.id])).rejects.toThrow(/permission denied/);
    await expect(p.db.pool.query('TRUNCATE audit_logs')).rejects.toThrow(/permission denied/);
    // Its owner, which row-level security does not bind, is refused by the table's triggers.
    const owner = createDb({ url: p.databaseUrl, poolMax: 1 });
    try {
      await expect(owner.pool.query(`UPDATE audit_logs SET action = 'nothing' WHERE id = $1`, [entry!.id])).rejects.toThrow(/append-only/);
      await expect(owner.pool.query('DELETE FROM audit_logs WHERE id = $1', [entry!.id])).rejects.toThrow(/append-only/);
      await expect(owner.pool.query('TRUNCATE audit_logs')).rejects.toThrow(/append-only/);
    } finally {
      await owner.close();
    }
    expect((await entries('?limit=1'))[0]).toEqual(entry);
  });
});
