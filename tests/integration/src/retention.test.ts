import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDb, newId, type Db } from '@weft/db';
import { retentionPass } from '@weft/orchestrator';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callAs, mintKey } from './accounts-http';
import { startPlatform, type Platform } from './platform';

let p: Platform;
let server: Server;
let serverUrl: string;
let owner: pg.Client;
const exportDir = mkdtempSync(join(tmpdir(), 'weft-retention-'));

beforeAll(async () => {
  server = createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ order: req.url, items: [1, 2, 3] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  serverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  p = await startPlatform();
  // The migrating role (tables' owner): sets up what a test needs to be old.
  owner = new pg.Client({ connectionString: p.databaseUrl });
  await owner.connect();
});
afterAll(async () => {
  await owner?.end();
  await p?.stop();
  await new Promise((resolve) => server?.close(resolve));
  rmSync(exportDir, { recursive: true, force: true });
});

async function finishedRun(tag: string): Promise<string> {
  const wf = await p.client.createWorkflow({
    name: `retention ${tag}`,
    definition: {
      nodes: [
        { id: 't', type: 'trigger', config: {} },
        { id: 'fetch', type: 'http_request', config: { method: 'GET', url: `${serverUrl}/orders/{{ input.order }}` } },
      ],
      edges: [{ source: 't', target: 'fetch' }],
    },
  });
  await p.client.publishVersion(wf.id);
  const { runId } = await p.client.createRun({ workflowId: wf.id, inputs: { order: tag } });
  const run = await p.client.waitForRun(runId);
  expect(run.status).toBe('succeeded');
  return runId;
}

/** Makes a run look as if it had ended `days` ago. */
const endedDaysAgo = (runId: string, days: number) =>
  owner.query(`UPDATE runs SET created_at = now() - make_interval(days => $2 + 1), finished_at = now() - make_interval(days => $2) WHERE id = $1`, [runId, days]);

const exportOf = async (runId: string) => {
  const r = await fetch(`${p.url}/v1/runs/${runId}/export`, { headers: { authorization: `Bearer ${p.apiKey}` } });
  return { status: r.status, type: r.headers.get('content-type'), text: await r.text() };
};

describe('Retention', () => {
  it('clears the inputs, outputs and logs of a run past retention, keeps a newer run whole, and exports the run first', async () => {
    const old = await finishedRun('old-order-7431');
    const recent = await finishedRun('recent-order-9902');
    await endedDaysAgo(old, 31);
    await endedDaysAgo(recent, 29);

    const before = await exportOf(old);
    expect(before.status).toBe(200);
    expect(before.type).toContain('application/x-ndjson');
    const lines = before.text.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines[0]).toMatchObject({ type: 'run', id: old, status: 'succeeded', inputs: { order: 'old-order-7431' }, dataPurgedAt: null });
    const types = new Set(lines.map((l) => l.type));
    expect([...types].sort()).toEqual(['event', 'log', 'run', 'step']);
    expect(lines.find((l) => l.type === 'step' && l.nodeId === 'fetch')).toMatchObject({ output: { status: 200, body: { order: '/orders/old-order-7431' } } });
    expect(lines.filter((l) => l.type === 'log').length).toBeGreaterThan(0);

    const pass = await retentionPass(p.db.pool, { exportDir });
    expect(pass.runs).toBe(1);
    expect(pass.logs).toBeGreaterThan(0);

    // The export file the job wrote before clearing is the run as the API exported it.
    expect(readFileSync(join(exportDir, p.orgId, `${old}.jsonl`), 'utf8')).toBe(before.text);

    const cleared = await p.client.getRun(old);
    expect(cleared).toMatchObject({ status: 'succeeded', inputs: null, output: null, logs: [] });
    expect(cleared.finishedAt).not.toBeNull();
    expect(cleared.dataPurgedAt).toEqual(expect.any(String));
    expect(cleared.steps.map((s) => [s.nodeId, s.status, s.output])).toEqual(expect.arrayContaining([['fetch', 'succeeded', null]]));
    const { rows: left } = await owner.query(
      `SELECT (SELECT count(*) FROM run_logs WHERE run_id = $1)::int AS logs,
              (SELECT count(*) FROM run_steps WHERE run_id = $1 AND (output IS NOT NULL OR input IS NOT NULL))::int AS steps,
              (SELECT data_purged_at IS NOT NULL FROM runs WHERE id = $1) AS purged`,
      [old],
    );
    expect(left[0]).toEqual({ logs: 0, steps: 0, purged: true });
    const after = await exportOf(old);
    expect(after.text).not.toContain('old-order-7431');

    const kept = await p.client.getRun(recent);
    expect(kept.inputs).toEqual({ order: 'recent-order-9902' });
    expect(kept.dataPurgedAt).toBeNull();
    expect(kept.steps.find((s) => s.nodeId === 'fetch')?.output).toMatchObject({ body: { order: '/orders/recent-order-9902' } });
    expect(kept.logs.length).toBeGreaterThan(0);

    // Re-runnable: nothing more to clear; a cleared run cannot be retried in place, nor run again without new inputs.
    expect((await retentionPass(p.db.pool, { exportDir })).runs).toBe(0);
    await owner.query(`UPDATE runs SET status = 'failed' WHERE id = $1`, [old]);
    const retry = await callAs(p.url, p.apiKey, 'POST', `/v1/runs/${old}/retry`, {});
    expect([retry.status, retry.body.detail]).toEqual([409, expect.stringContaining('retention')]);
    const rerun = await callAs(p.url, p.apiKey, 'POST', `/v1/runs/${old}/rerun`, {});
    expect([rerun.status, rerun.body.detail]).toEqual([409, expect.stringContaining('retention')]);
  });

  it('lets admins set the org retention (validated, audited), and applies it at the next pass', async () => {
    const url = `/v1/orgs/${p.orgId}/settings`;
    expect((await callAs(p.url, p.apiKey, 'GET', url)).body).toEqual({ orgId: p.orgId, retentionDays: 30 });
    for (const bad of [0, 366, 2.5, 'ten', null]) {
      const r = await callAs(p.url, p.apiKey, 'PATCH', url, { retentionDays: bad });
      expect([r.status, r.body.errors?.[0]?.path]).toEqual([400, 'body.retentionDays']);
    }
    expect((await callAs(p.url, p.apiKey, 'PATCH', url, {})).body.errors?.[0]?.path).toBe('body.retentionDays');
    const editor = await mintKey(p.url, p.apiKey, 'editor');
    expect((await callAs(p.url, editor, 'PATCH', url, { retentionDays: 7 })).status).toBe(403);
    expect((await callAs(p.url, editor, 'GET', url)).status).toBe(200);
    const other = await p.newOrgClient();
    const theirs = await other.call<{ orgId: string }>('GET', url).then(
      () => 200,
      (e: { status: number }) => e.status,
    );
    expect(theirs).toBe(404);

    const ten = await finishedRun('ten-days-4120');
    await endedDaysAgo(ten, 10);
    expect((await retentionPass(p.db.pool)).runs).toBe(0);

    const admin = await mintKey(p.url, p.apiKey, 'admin');
    const changed = await callAs(p.url, admin, 'PATCH', url, { retentionDays: 7 });
    expect([changed.status, changed.body]).toEqual([200, { orgId: p.orgId, retentionDays: 7 }]);
    const audit = await callAs(p.url, p.apiKey, 'GET', '/v1/audit-logs?action=org.settings_updated');
    expect(audit.body.items[0]).toMatchObject({ action: 'org.settings_updated', actor: { type: 'api_key' }, target: { type: 'org', id: p.orgId }, data: { retentionDays: { from: 30, to: 7 } } });

    expect((await retentionPass(p.db.pool)).runs).toBeGreaterThanOrEqual(1);
    expect((await p.client.getRun(ten)).inputs).toBeNull();
    await callAs(p.url, p.apiKey, 'PATCH', url, { retentionDays: 30 });
  });

  it('clears each run exactly once when two jobs run at once, in small batches', async () => {
    const template = await finishedRun('template-5531');
    const { rows: [run] } = await owner.query<{ org_id: string; workflow_id: string; workflow_version_id: string }>(`SELECT org_id, workflow_id, workflow_version_id FROM runs WHERE id = $1`, [template]);
    await retentionPass(p.db.pool); // whatever earlier tests left due: only the 40 below will be
    const ids = Array.from({ length: 40 }, () => newId());
    await owner.query(
      `INSERT INTO runs (id, org_id, workflow_id, workflow_version_id, status, inputs, output, created_at, started_at, finished_at)
       SELECT id, $2, $3, $4, 'succeeded', '{"card":"x"}', '{"ok":true}', now() - interval '40 days', now() - interval '40 days', now() - interval '35 days'
       FROM unnest($1::uuid[]) AS id`,
      [ids, run!.org_id, run!.workflow_id, run!.workflow_version_id],
    );
    await owner.query(
      `INSERT INTO run_steps (id, org_id, run_id, node_id, node_type, attempt, status, applied, input, output, finished_at)
       SELECT gen_random_uuid(), $2, id, 'fetch', 'http_request', 1, 'succeeded', true, '{"in":1}', '{"out":1}', now() - interval '35 days' FROM unnest($1::uuid[]) AS id`,
      [ids, run!.org_id],
    );
    await owner.query(
      `INSERT INTO run_logs (id, org_id, run_id, ts, level, msg) SELECT gen_random_uuid(), $2, id, now(), 'info', 'line ' || n
       FROM unnest($1::uuid[]) AS id, generate_series(1, 3) AS n`,
      [ids, run!.org_id],
    );
    // A second "orchestrator": its own pool, the maintenance role like the first.
    const second: Db = createDb({ url: p.databaseUrl, poolMax: 4, rls: { default: 'maintenance' } });
    const dir = mkdtempSync(join(tmpdir(), 'weft-retention-race-'));
    try {
      const [a, b] = await Promise.all([retentionPass(p.db.pool, { batch: 3, exportDir: dir }), retentionPass(second.pool, { batch: 3, exportDir: dir })]);
      expect(a.runs + b.runs).toBe(40);
      expect(a.logs + b.logs).toBe(120);
      expect(a.steps + b.steps).toBe(40);
    } finally {
      await second.close();
    }
    const { rows } = await owner.query(
      `SELECT count(*) FILTER (WHERE data_purged_at IS NULL)::int AS kept, count(*) FILTER (WHERE inputs <> 'null'::jsonb OR output IS NOT NULL)::int AS with_data,
              (SELECT count(*) FROM run_logs WHERE run_id = ANY($1))::int AS logs
       FROM runs WHERE id = ANY($1)`,
      [ids],
    );
    expect(rows[0]).toEqual({ kept: 0, with_data: 0, logs: 0 });
    const files = readdirSync(join(dir, run!.org_id)).filter((f) => f.endsWith('.jsonl'));
    expect(files.sort()).toEqual(ids.map((id) => `${id}.jsonl`).sort());
    rmSync(dir, { recursive: true, force: true });
  });

  it('drops a whole old run_logs partition once every run that may have lines in it is cleared', async () => {
    const partition = (await owner.query<{ name: string }>(`SELECT weft_run_logs_partition(now() - interval '70 days') AS name`)).rows[0]!.name;
    const current = (await owner.query<{ name: string }>(`SELECT weft_run_logs_partition(now()) AS name`)).rows[0]!.name;
    const oldRun = await finishedRun('partition-1187');
    await owner.query(`UPDATE runs SET created_at = now() - interval '71 days', finished_at = now() - interval '69 days' WHERE id = $1`, [oldRun]);
    // A waiting run created 70 days ago still has lines in that week: the partition must stay while it lives.
    const waiting = newId();
    const { rows: [r] } = await owner.query(`SELECT org_id, workflow_id, workflow_version_id FROM runs WHERE id = $1`, [oldRun]);
    await owner.query(
      `INSERT INTO runs (id, org_id, workflow_id, workflow_version_id, status, inputs, created_at) VALUES ($1, $2, $3, $4, 'waiting', '{}', now() - interval '70 days')`,
      [waiting, r.org_id, r.workflow_id, r.workflow_version_id],
    );
    await owner.query(
      `INSERT INTO run_logs (id, org_id, run_id, ts, level, msg) VALUES (gen_random_uuid(), $1, $2, now() - interval '70 days', 'info', 'old line'), (gen_random_uuid(), $1, $3, now() - interval '70 days', 'info', 'waiting line')`,
      [r.org_id, oldRun, waiting],
    );
    expect((await owner.query(`SELECT count(*)::int AS n FROM ${partition}`)).rows[0].n).toBe(2);

    const first = await retentionPass(p.db.pool);
    expect(first.partitionsDropped).toEqual([]);
    expect((await owner.query(`SELECT to_regclass($1) IS NOT NULL AS present`, [partition])).rows[0].present).toBe(true);

    await owner.query(`UPDATE runs SET status = 'cancelled', finished_at = now() - interval '60 days' WHERE id = $1`, [waiting]);
    const second = await retentionPass(p.db.pool);
    expect(second.partitionsDropped).toContain(partition);
    expect((await owner.query(`SELECT to_regclass($1) IS NOT NULL AS present`, [partition])).rows[0].present).toBe(false);
    // The current week's partition and the weeks ahead stay; the maintenance role cannot create partitions by itself.
    expect((await owner.query(`SELECT to_regclass($1) IS NOT NULL AS present`, [current])).rows[0].present).toBe(true);
    await expect(p.db.pool.query(`SELECT weft_run_logs_partition(now() - interval '200 days')`)).rejects.toThrow(/permission denied/);
  });
});

describe('Expired OAuth states', () => {
  it('are deleted by the retention pass in batches, used or not; a pending one stays', async () => {
    const conn = await callAs(p.url, p.apiKey, 'POST', '/v1/connections', { provider: 'slack', name: 'sweep-slack', clientId: '1111.2222', clientSecret: 'slack-secret-for-sweep', scopes: [] });
    expect(conn.status).toBe(201);
    const started = [];
    for (let i = 0; i < 2; i++) {
      const a = await callAs(p.url, p.apiKey, 'GET', `/v1/connections/${conn.body.id}/authorize`);
      expect(a.status).toBe(200);
      started.push(new URL(a.body.authorizeUrl).searchParams.get('state')!);
    }
    const [expiredState, pendingState] = started.map((s) => s.split('.')[0]!);
    await owner.query(`UPDATE oauth_states SET expires_at = now() - interval '1 minute' WHERE id = $1`, [expiredState]);
    // Six more expired rows (three of them used), so a batch of 2 takes several statements.
    await owner.query(
      `INSERT INTO oauth_states (id, org_id, connection_id, user_id, kek_id, expires_at, used_at)
       SELECT gen_random_uuid(), $1, $2, 'user:x', 'k', now() - make_interval(mins => g), CASE WHEN g % 2 = 0 THEN now() END FROM generate_series(1, 6) g`,
      [p.orgId, conn.body.id],
    );
    const pass = await retentionPass(p.db.pool, { batch: 2 });
    expect(pass.oauthStates).toBe(7);
    const { rows } = await owner.query(`SELECT id FROM oauth_states WHERE connection_id = $1`, [conn.body.id]);
    expect(rows.map((r) => r.id)).toEqual([pendingState]);
    expect((await retentionPass(p.db.pool, { batch: 2 })).oauthStates).toBe(0);
  });
});
