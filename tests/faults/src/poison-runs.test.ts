import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes, randomUUID } from 'node:crypto';
import { WeftClient } from '@weft/sdk';
import { createTestDatabase, createTestRedis, type TestDatabase } from '@weft/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { Cluster } from './cluster';
import { publish, waitForRuns } from './workload';

/*
 * Issue 12 §4, with real processes: one orchestrator and one executor (each its own `node`, with
 * the 1 GB heap a small container would give it) take poison runs from one org while another org
 * runs normal work. Before the budgets, the expressions below built their strings and arrays on
 * the orchestrator's main thread until the heap ran out: the process died, BullMQ handed the job
 * to the next orchestrator, which died the same way. Now each poison run fails on its own, with
 * `budget_exceeded` naming the node and the limit, and every process keeps its pid.
 */
let db: TestDatabase;
let redis: Awaited<ReturnType<typeof createTestRedis>>;
let cluster: Cluster;
let pool: pg.Pool;
let big: { url: string; server: Server };

const FIFTY_MB = 50 * 1024 * 1024;

/** Answers GET /big with a 50 MB JSON document, as an outside API might. */
async function startBigServer() {
  const body = Buffer.from(JSON.stringify({ blob: 'x'.repeat(FIFTY_MB) }));
  const server = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

/** A second org with its own admin key, made in the database (the API has no org creation). */
async function otherOrg(): Promise<WeftClient> {
  const key = `weft_${randomBytes(32).toString('base64url')}`;
  const orgId = randomUUID();
  await pool.query(`INSERT INTO orgs (id, slug, name) VALUES ($1, $2, 'Other org')`, [orgId, `other-${orgId}`]);
  await pool.query(`INSERT INTO api_keys (id, org_id, name, prefix, hash, role) VALUES ($1, $2, 'other', 'weft_', encode(sha256($3::bytea), 'hex'), 'admin')`, [randomUUID(), orgId, key]);
  return new WeftClient({ baseUrl: cluster.url, apiKey: key });
}

const transform = (expression: string) => ({
  nodes: [
    { id: 'trigger', type: 'trigger', config: {} },
    { id: 'poison', type: 'transform', config: { expression } },
  ],
  edges: [{ source: 'trigger', target: 'poison' }],
});

beforeAll(async () => {
  [db, redis, big] = await Promise.all([createTestDatabase(), createTestRedis(), startBigServer()]);
  cluster = await Cluster.start({
    label: 'poison-runs',
    databaseUrl: db.url,
    redisUrl: redis.url,
    prefix: redis.prefix,
    orchestrators: 1,
    executors: 1,
    env: { NODE_OPTIONS: '--max-old-space-size=1024' },
    // An operator who lets steps read big answers: the output limit still holds.
    executorEnv: { WEFT_HTTP_MAX_RESPONSE_BYTES: String(64 * 1024 * 1024) },
  });
  pool = new pg.Pool({ connectionString: db.url, max: 4 });
}, 180_000);

afterAll(async () => {
  await pool?.end();
  await cluster?.stop();
  big?.server.closeAllConnections();
  await Promise.all([new Promise((r) => big?.server.close(r)), redis?.cleanup(), db?.drop()]);
}, 60_000);

describe('A poison run never crashes a service', () => {
  it('fails each poison run with budget_exceeded naming the node and the limit, while another org\'s runs complete and every process keeps its pid', async () => {
    onTestFailed(() => console.error(`service logs: ${cluster.logFile}`));
    const pids = [...cluster.orchestrators, ...cluster.executors].map((p) => p.pid);
    const other = await otherOrg();
    const normal = await publish(other, 'normal work', transform('{ doubled: input.n * `2` }'));
    const poisons: { name: string; definition: unknown; limit: string; message: RegExp }[] = [
      { name: 'split of a 5,000,000-character pad', definition: transform("length(split(pad_left('a', `5000000`, 'x'), ''))"), limit: 'WEFT_MAX_STRING_CHARS', message: /pad_left\(\) would build a string of 5,000,000 characters; the limit is 1,000,000 \(WEFT_MAX_STRING_CHARS\)/ },
      { name: 'pad_left of 1e8', definition: transform("pad_left('a', `100000000`, 'x')"), limit: 'WEFT_MAX_STRING_CHARS', message: /pad_left\(\) would build a string of 100,000,000 characters/ },
      { name: 'split of a 1e8-character pad', definition: transform("length(split(pad_left('a', `100000000`, 'x'), ''))"), limit: 'WEFT_MAX_STRING_CHARS', message: /pad_left\(\) would build a string of 100,000,000 characters/ },
      // Each replacement adds a character: the text built in total reaches the memory limit first.
      { name: 'replace with a huge count', definition: transform("replace('abc', 'b', 'bb', `4000000000`)"), limit: 'WEFT_MAX_EVALUATION_BYTES', message: /would build about [\d,]+ bytes in total \(stopped in replace\(\)\); the limit is 67,108,864 \(WEFT_MAX_EVALUATION_BYTES\)/ },
      {
        name: 'a 50 MB step output',
        definition: {
          nodes: [
            { id: 'trigger', type: 'trigger', config: {} },
            { id: 'poison', type: 'http_request', config: { method: 'GET', url: `${big.url}/big` } },
          ],
          edges: [{ source: 'trigger', target: 'poison' }],
        },
        limit: 'WEFT_MAX_VALUE_BYTES',
        message: /the output of node "poison" is at least 52,428,\d+ bytes as JSON; the limit is 16,777,216 \(WEFT_MAX_VALUE_BYTES\)/,
      },
    ];
    const poisonIds: string[] = [];
    for (const p of poisons) {
      const workflowId = await publish(cluster.client, p.name, p.definition);
      poisonIds.push((await cluster.client.createRun({ workflowId, inputs: {} })).runId);
    }
    // The other org's work, submitted while the poison runs are being taken.
    const normalIds = await Promise.all(Array.from({ length: 20 }, async (_, n) => (await other.createRun({ workflowId: normal, inputs: { n } })).runId));

    const finished = await waitForRuns(pool, [...poisonIds, ...normalIds], 120_000);
    for (const [i, p] of poisons.entries()) {
      const run = await cluster.client.getRun(poisonIds[i]!);
      expect(run.status, p.name).toBe('failed');
      expect(run.error, p.name).toMatchObject({ code: 'budget_exceeded', nodeId: 'poison' });
      expect((run.error as { message: string }).message, p.name).toMatch(/^node "poison" failed: /);
      const step = run.steps.find((s) => s.nodeId === 'poison')!;
      expect(step.status, p.name).toBe('failed');
      expect(step.error, p.name).toMatchObject({ code: 'budget_exceeded', retryable: false, details: { limit: p.limit } });
      expect(step.error!.message, p.name).toMatch(p.message);
    }
    for (const [n, row] of finished.slice(poisons.length).entries()) {
      expect(row.status).toBe('succeeded');
      expect(row.output).toEqual({ poison: { doubled: 2 * n } });
    }
    // Same processes, still up and still working.
    expect(cluster.crashes()).toEqual([]);
    expect([...cluster.orchestrators, ...cluster.executors].map((p) => p.pid)).toEqual(pids);
    expect([...cluster.orchestrators, ...cluster.executors].every((p) => p.alive)).toBe(true);
    const after = (await other.createRun({ workflowId: normal, inputs: { n: 21 } })).runId;
    const [row] = await waitForRuns(pool, [after], 30_000);
    expect(row).toMatchObject({ status: 'succeeded', output: { poison: { doubled: 42 } } });
  }, 240_000);
});
