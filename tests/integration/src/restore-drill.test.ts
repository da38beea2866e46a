// The restore drill (docs/deploy.md, "Backups and restore"): runs in every state, `npm run backup`,
// the database and Redis wiped, `npm run restore` into a fresh database, a new platform started on
// it: waiting runs resume, due timers fire, secrets decrypt, nothing is missing.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Keyring } from '@weft/crypto';
import { startEchoServer, type EchoServer } from '@weft/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatform, type Platform } from './platform';

const ROOT = new URL('../../..', import.meta.url).pathname;
const TSX = join(ROOT, 'node_modules/.bin/tsx');
const work = mkdtempSync(join(tmpdir(), 'weft-drill-'));
const backupFile = join(work, 'weft.dump');
const adminUrl = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const restoredName = `weft_restored_${randomBytes(5).toString('hex')}`;
const restoredUrl = Object.assign(new URL(adminUrl), { pathname: `/${restoredName}` }).href;
const kek = `k1:${randomBytes(32).toString('base64')}`;
const keyring = Keyring.parse(kek, 'k1');
const TOKEN = 'drill-token-9f3a61c2';

let echo: EchoServer;
let before: Platform | undefined;
let after: Platform | undefined;
const ids: Record<string, string> = {};
const timings: Record<string, number> = {};

const edge = (source: string, target: string) => ({ source, target });
const t = { id: 't', type: 'trigger', config: {} };

async function publish(p: Platform, name: string, nodes: unknown[], edges: unknown[]) {
  const wf = await p.client.createWorkflow({ name });
  await p.client.publishVersion(wf.id, { nodes, edges });
  return wf.id;
}

function cli(script: 'backup' | 'restore', args: string[], env: NodeJS.ProcessEnv = {}) {
  return spawnSync(TSX, [join(ROOT, `packages/db/src/cli/${script}.ts`), ...args], { encoding: 'utf8', env: { ...process.env, WEFT_KEKS: kek, ...env }, timeout: 180_000 });
}

async function dropDatabase(name: string) {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin.end();
}

async function statusOf(p: Platform, runId: string) {
  return (await p.client.getRun(runId)).status;
}

beforeAll(async () => {
  echo = await startEchoServer();
  before = await startPlatform({ keyring, reconcileAfterMs: 1000 });
  const p = before;
  await p.client.createSecret({ name: 'API_TOKEN', value: TOKEN });
  ids.callWf = await publish(p, 'drill: call with a secret', [t, { id: 'call', type: 'http_request', config: { url: `${echo.url}/drill`, headers: { authorization: 'Bearer {{ secrets.API_TOKEN }}' } } }], [edge('t', 'call')]);
  ids.failWf = await publish(p, 'drill: fails', [t, { id: 'bad', type: 'http_request', config: { url: `${echo.url}/status/500`, retry: { maxAttempts: 1 } } }], [edge('t', 'bad')]);
  ids.approvalWf = await publish(p, 'drill: approval', [t, { id: 'ok', type: 'wait_for_approval', config: { prompt: 'go?' } }, { id: 'end', type: 'transform', config: { expression: "'approved'" } }], [edge('t', 'ok'), { ...edge('ok', 'end'), sourceHandle: 'approved' }]);
  ids.timerWf = await publish(p, 'drill: timer', [t, { id: 'nap', type: 'delay', config: { durationMs: 8000 } }, { id: 'end', type: 'transform', config: { expression: "'woke'" } }], [edge('t', 'nap'), edge('nap', 'end')]);
  ids.succeeded = (await p.client.createRun({ workflowId: ids.callWf, inputs: {} })).runId;
  ids.failed = (await p.client.createRun({ workflowId: ids.failWf, inputs: {} })).runId;
  ids.waiting = (await p.client.createRun({ workflowId: ids.approvalWf, inputs: {} })).runId;
  ids.cancelled = (await p.client.createRun({ workflowId: ids.approvalWf, inputs: {} })).runId;
  ids.timer = (await p.client.createRun({ workflowId: ids.timerWf, inputs: {} })).runId;
  await p.client.waitForRun(ids.succeeded);
  await p.client.waitForRun(ids.failed);
  for (const id of [ids.waiting, ids.cancelled, ids.timer]) {
    for (let i = 0; i < 200 && (await statusOf(p, id!)) !== 'waiting'; i++) await new Promise((r) => setTimeout(r, 50));
  }
  await p.client.cancelRun(ids.cancelled!);
  await p.client.waitForRun(ids.cancelled!);
}, 180_000);

afterAll(async () => {
  await after?.stop();
  await before?.stop();
  await echo?.close();
  await dropDatabase(restoredName);
  rmSync(work, { recursive: true, force: true });
  console.log('restore drill (ms):', timings);
}, 120_000);

describe('The restore drill', () => {
  it('backs up with npm run backup: a custom-format dump and a manifest with the KEK ids, never a key', async () => {
    expect((await before!.client.getRun(ids.succeeded!)).status).toBe('succeeded');
    expect((await before!.client.getRun(ids.failed!)).status).toBe('failed');
    expect((await before!.client.getRun(ids.cancelled!)).status).toBe('cancelled');
    expect(await statusOf(before!, ids.waiting!)).toBe('waiting');
    expect(await statusOf(before!, ids.timer!)).toBe('waiting');
    const started = Date.now();
    const r = cli('backup', ['--out', backupFile], { DATABASE_URL: before!.databaseUrl });
    timings.backup = Date.now() - started;
    expect(r.status, r.stderr).toBe(0);
    const manifest = JSON.parse(readFileSync(`${backupFile}.json`, 'utf8'));
    expect(manifest.kekIds).toEqual(['k1']);
    expect(manifest.counts.runs).toBe(5);
    expect(readFileSync(`${backupFile}.json`, 'utf8')).not.toContain(kek.split(':')[1]!);
    expect(readFileSync(backupFile).includes(Buffer.from(TOKEN))).toBe(false);
  });

  it('restores into a fresh database after the database and Redis are wiped: every run is there, waiting runs resume, timers fire, secrets decrypt', async () => {
    await before!.stop(); // drops its database and deletes its Redis keys: the disaster
    before = undefined;
    let started = Date.now();
    const r = cli('restore', [backupFile, '--database-url', restoredUrl]);
    timings.restore = Date.now() - started;
    expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
    expect(r.stdout).toMatch(/restore: .* → weft_restored_\w+ in \d+ ms: 5 runs, 1 secrets/);

    started = Date.now();
    after = await startPlatform({ databaseUrl: restoredUrl, keyring, reconcileAfterMs: 1000 });
    timings.platformStart = Date.now() - started;
    const p = after;
    expect((await p.client.getRun(ids.succeeded!)).status).toBe('succeeded');
    expect((await p.client.getRun(ids.failed!)).status).toBe('failed');
    expect((await p.client.getRun(ids.cancelled!)).status).toBe('cancelled');
    // The approval waits on, and resumes when answered.
    expect(await statusOf(p, ids.waiting!)).toBe('waiting');
    await p.client.resumeRun(ids.waiting!, { nodeId: 'ok', decision: 'approve', payload: {} });
    expect((await p.client.waitForRun(ids.waiting!)).output).toEqual({ end: 'approved' });
    // The delay's job was in the lost Redis: the timer fires from Postgres.
    started = Date.now();
    expect((await p.client.waitForRun(ids.timer!, { timeoutMs: 60_000 })).output).toEqual({ end: 'woke' });
    timings.timerAfterStart = Date.now() - started;
    // The secret decrypts with the same KEK.
    const seen = echo.requests.length;
    const again = await p.client.createRun({ workflowId: ids.callWf!, inputs: {} });
    expect((await p.client.waitForRun(again.runId)).status).toBe('succeeded');
    expect(echo.requests.slice(seen).map((q) => q.headers.authorization)).toEqual([`Bearer ${TOKEN}`]);
  });

  it('refuses to restore over a database that holds data, and says which KEK ids are missing', async () => {
    const over = cli('restore', [backupFile, '--database-url', restoredUrl]);
    expect(over.status).toBe(1);
    expect(over.stderr).toMatch(/is not empty \(\d+ tables\): restore into a new database/);
    const otherName = `${restoredName}_k`;
    const other = Object.assign(new URL(adminUrl), { pathname: `/${otherName}` }).href;
    const lacking = cli('restore', [backupFile, '--database-url', other], { WEFT_KEKS: `k2:${randomBytes(32).toString('base64')}` });
    await dropDatabase(otherName);
    expect(lacking.status).toBe(3);
    expect(lacking.stderr).toContain('WEFT_KEKS lacks the key ids k1');
  });
});
