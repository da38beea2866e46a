import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRedis, queuePrefix, type QueueName } from '@weft/queue';
import { WeftClient } from '@weft/sdk';
import { createTestDatabase, type TestDatabase } from '@weft/testing';
import type { LiveMessage } from '@weft/workflow-schema';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it, onTestFailed } from 'vitest';
import WebSocket from 'ws';
import { startApplyServer, type ApplyServer } from './apply-server';
import { historyViolations } from './checks';
import { Cluster } from './cluster';
import { sleep } from './infra';
import { RedisCluster } from './redis-cluster';
import { countFinished, publish, startRuns, waitForRuns } from './workload';

/**
 * The platform on a real Redis Cluster (3 masters, 3 replicas, on loopback ports of this file):
 * gateway, 2 orchestrators and 2 executors as processes with REDIS_CLUSTER_NODES, running
 * pipelines with executor steps, a for_each, a delay and an approval, and the integration suite's
 * pipeline files with their in-process platform on the same cluster; then masters fail over
 * (a graceful CLUSTER FAILOVER, then a master SIGKILLed) while runs are in flight: every run
 * completes and every effect happens once (the apply server counts Idempotency-Keys).
 */
let redis: RedisCluster;
let db: TestDatabase;
let apply: ApplyServer;
let cluster: Cluster;
let pool: pg.Pool;
let prefix: string;
const ITEMS = 2;

const edge = (source: string, target: string, sourceHandle?: string) => ({ source, target, ...(sourceHandle ? { sourceHandle } : {}) });
const call = (id: string, applyUrl: string, body: Record<string, string>) => ({
  id,
  type: 'http_request',
  config: { method: 'POST', url: `${applyUrl}/apply?delayMs=20`, body, timeoutMs: 3000, retry: { maxAttempts: 5, backoff: 'fixed', initialDelayMs: 100, maxDelayMs: 100 } },
});

/** trigger → call → for_each (a call per item) → delay → [approval →] out. */
function pipeline(applyUrl: string, o: { approval: boolean }) {
  const nodes = [
    { id: 'trigger', type: 'trigger', config: {} },
    call('call', applyUrl, { n: '{{ input.n }}' }),
    {
      id: 'each',
      type: 'for_each',
      config: { items: 'input.items || `[0, 1]`', concurrency: 2, body: { nodes: [{ id: 's', type: 'trigger', config: {} }, call('item', applyUrl, { item: '{{ item }}' })], edges: [edge('s', 'item')] } },
    },
    { id: 'pause', type: 'delay', config: { durationMs: 200 } },
    ...(o.approval ? [{ id: 'ok', type: 'wait_for_approval', config: { prompt: 'ship {{ input.n }}?' } }] : []),
    { id: 'out', type: 'transform', config: { expression: '{ n: input.n, applicationId: steps.call.output.body.applicationId, items: length(steps.each.output) }' } },
  ];
  const edges = [edge('trigger', 'call'), edge('call', 'each'), edge('each', 'pause'), ...(o.approval ? [edge('pause', 'ok'), edge('ok', 'out', 'approved')] : [edge('pause', 'out')])];
  return { nodes, edges, settings: { output: 'steps.out.output' } };
}

/** Asks a live node of the cluster for the slot of a key. */
const slotOf = async (key: string) => Number(await redis.ask(redis.nodes.find((n) => n.process)!.port, 'CLUSTER', 'KEYSLOT', key));

/**
 * A platform prefix whose executor and orchestrator queues land on different masters: the
 * per-queue hash tags spread queues over the cluster (a single `{weft}` tag could not).
 */
async function spreadPrefix(): Promise<string> {
  for (let i = 0; i < 100; i++) {
    const p = `weft-cl-${randomBytes(4).toString('hex')}`;
    const [e, o] = await Promise.all((['executor', 'orchestrator'] as const).map((q) => redis.masterOf(queuePrefix(p, q))));
    if (e !== o) return p;
  }
  throw new Error('no prefix puts the executor and orchestrator queues on different masters: are the queues hash-tagged per queue?');
}

/** Every run of `ids` ended as expected, each effect applied once, and no history broken. */
async function expectAllOnce(ids: string[], label: string) {
  const runs = await waitForRuns(pool, ids, 150_000);
  expect(runs.filter((r) => r.status !== 'succeeded').map((r) => [r.id, r.status, r.error])).toEqual([]);
  runs.forEach((r, i) => expect(r.output).toEqual({ n: i, applicationId: apply.applied.get(`weft-${ids[i]}-call`)?.id, items: ITEMS }));
  const keys = [...apply.applications.keys()];
  const twice = [...apply.applications].filter(([, n]) => n !== 1);
  expect(twice).toEqual([]);
  // One effect per run's call and per iteration's call.
  expect(keys.filter((k) => ids.some((id) => k === `weft-${id}-call`))).toHaveLength(ids.length);
  const { rows } = await pool.query<{ id: string }>(`SELECT id FROM runs WHERE parent_run_id = ANY($1::uuid[])`, [ids]);
  expect(rows).toHaveLength(ids.length * ITEMS);
  expect(rows.filter((r) => apply.applications.get(`weft-${r.id}-item`) !== 1).map((r) => r.id)).toEqual([]);
  expect(await historyViolations(pool, ids)).toEqual([]);
  expect(cluster.crashes()).toEqual([]);
  console.info(`${label}: ${ids.length} runs and ${rows.length} iterations succeeded, each effect once`);
}

describe('The platform on a Redis Cluster', () => {
  beforeAll(async () => {
    [redis, db, apply] = await Promise.all([RedisCluster.start(3), createTestDatabase(), startApplyServer()]);
    prefix = await spreadPrefix();
    cluster = await Cluster.start({
      label: 'redis-cluster',
      databaseUrl: db.url,
      // Not used: REDIS_CLUSTER_NODES wins. A closed port, so a service that ignored it would fail.
      redisUrl: 'redis://127.0.0.1:1',
      prefix,
      orchestrators: 2,
      executors: 2,
      // Every API call draws from the token buckets (two keys in one script: the org's hash tag).
      env: { REDIS_CLUSTER_NODES: redis.seeds.join(','), WEFT_RATE_LIMIT_BOOTSTRAP_ORG: 'true' },
    });
    pool = new pg.Pool({ connectionString: db.url, max: 4 });
  }, 180_000);

  afterAll(async () => {
    await pool?.end();
    await cluster?.stop();
    await Promise.all([apply?.close(), redis?.stop(), db?.drop()]);
  }, 60_000);

  beforeEach(() => {
    onTestFailed(() => console.error(`service logs: ${cluster.logFile}`));
  });

  it('runs pipelines with executor steps, a for_each, a delay and an approval, watched live, with each queue in its own slot and rate limits in one', async () => {
    const workflowId = await publish(cluster.client, 'cluster-pipeline', pipeline(apply.url, { approval: true }));
    // A subscriber of every run's live channel, on a cluster connection of its own.
    const subscriber = createRedis({ REDIS_URL: 'redis://127.0.0.1:1', REDIS_CLUSTER_NODES: redis.seeds }, 'client');
    const published = new Set<string>();
    subscriber.on('pmessage', (_pattern: string, channel: string) => published.add(channel.slice(channel.lastIndexOf(':') + 1)));
    await subscriber.psubscribe(`${prefix}:live:run:*`);
    const res = await fetch(`${cluster.url}/v1/runs`, {
      method: 'POST',
      headers: { authorization: `Bearer ${cluster.apiKey}`, 'content-type': 'application/json', 'idempotency-key': 'pipe-0' },
      body: JSON.stringify({ workflowId, inputs: { n: 0 } }),
    });
    expect(res.status).toBe(202);
    // The limiter answered (it fails open without these headers when Redis refuses the script).
    expect(res.headers.get('ratelimit-policy')).toContain('org-runs');
    const first = ((await res.json()) as { runId: string }).runId;
    // Live over the gateway's WebSocket: what the workers publish reaches it through the cluster's pub/sub.
    const live: LiveMessage[] = [];
    const watch = new WeftClient({ baseUrl: cluster.url, apiKey: cluster.apiKey, WebSocket }).liveRun(first, (m) => live.push(m));
    const rest = await Promise.all(
      Array.from({ length: 9 }, (_, i) => cluster.client.createRun({ workflowId, inputs: { n: i + 1 }, idempotencyKey: `pipe-${i + 1}` }).then((r) => r.runId)),
    );
    const ids = [first, ...rest];
    // Every run reaches its approval, then is approved.
    const until = Date.now() + 90_000;
    const approved = new Set<string>();
    while (approved.size < ids.length) {
      const { rows } = await pool.query<{ id: string }>(`SELECT DISTINCT run_id AS id FROM run_steps WHERE run_id = ANY($1::uuid[]) AND node_id = 'ok' AND status = 'waiting'`, [ids]);
      for (const { id } of rows) {
        if (approved.has(id)) continue;
        await cluster.client.resumeRun(id, { nodeId: 'ok', decision: 'approve' });
        approved.add(id);
      }
      if (Date.now() > until) throw new Error(`${approved.size} of ${ids.length} runs reached their approval`);
      await sleep(200);
    }
    await expectAllOnce(ids, 'pipeline');
    expect((await watch.closed).code).toBe(1000);
    const types = live.flatMap((m) => (m.type === 'event' ? [m.event.type] : []));
    expect(live[0]?.type).toBe('snapshot');
    expect(types).toEqual(expect.arrayContaining(['approval.resolved', 'run.succeeded']));
    // Every run's events were published through the cluster (classic pub/sub reaches every node).
    expect(ids.filter((id) => !published.has(id))).toEqual([]);
    subscriber.disconnect();

    // The queues' keys are where their hash tags put them: each queue on its own master.
    for (const q of ['executor', 'orchestrator'] as QueueName[]) {
      const tag = queuePrefix(prefix, q);
      const master = await redis.masterOf(tag);
      expect(Number(await redis.ask(master, 'CLUSTER', 'COUNTKEYSINSLOT', String(await slotOf(tag)))), `keys of ${tag}`).toBeGreaterThan(0);
    }
    expect(await redis.masterOf(queuePrefix(prefix, 'executor'))).not.toBe(await redis.masterOf(queuePrefix(prefix, 'orchestrator')));
  }, 180_000);

  it("passes the integration suite's pipeline files with their in-process platform on the cluster", async () => {
    // tests/integration's startPlatform connects to WEFT_TEST_REDIS_CLUSTER_NODES when it is set;
    // REDIS_URL points nowhere, so a connection to anything else would fail the files.
    const { code, output } = await runVitest(PIPELINE_FILES, { WEFT_TEST_REDIS_CLUSTER_NODES: redis.seeds.join(','), REDIS_URL: 'redis://127.0.0.1:1' });
    const summary = output.split('\n').filter((l) => /Test Files|Tests /.test(l)).join(' / ');
    console.info(`pipeline files on the cluster: ${summary}`);
    expect(code, output.slice(-4000)).toBe(0);
    expect(summary).toMatch(new RegExp(`Test Files +${PIPELINE_FILES.length} passed`));
  }, 240_000);

  it('completes every run, each effect once, through a graceful failover and then the loss of a master', async () => {
    const RUNS = 200;
    const workflowId = await publish(cluster.client, 'cluster-failover', pipeline(apply.url, { approval: false }));
    const idsP = startRuns(cluster, workflowId, RUNS, { concurrency: 8, keyPrefix: 'failover' });
    /** Waits until `n` runs finished; returns how many finished and how many were started. */
    const waitFinished = async (n: number) => {
      const until = Date.now() + 90_000;
      for (;;) {
        const { rows } = await pool.query<{ id: string }>(`SELECT id FROM runs WHERE idempotency_key LIKE 'failover-%'`);
        const finished = await countFinished(pool, rows.map((r) => r.id));
        if (finished >= n || Date.now() > until) return `${finished} of ${rows.length} started runs finished`;
        await sleep(100);
      }
    };

    // 1. A graceful failover of the orchestrator queue's master (CLUSTER FAILOVER on its replica).
    const atFirst = await waitFinished(20);
    const orchestratorKey = queuePrefix(prefix, 'orchestrator');
    const before = await redis.masterOf(orchestratorKey);
    const promoted = await redis.replicaOf(before);
    cluster.note(`CLUSTER FAILOVER: ${promoted} takes over from ${before} (orchestrator queue); ${atFirst}`);
    console.info(`failover: CLUSTER FAILOVER with ${atFirst}`);
    expect(await redis.ask(promoted, 'CLUSTER', 'FAILOVER')).toBe('OK');
    await until(async () => (await redis.masterOf(orchestratorKey)) === promoted, 'the replica took over the orchestrator queue');
    await redis.waitHealthy(30_000);

    // 2. The executor queue's master dies (SIGKILL): its replica is elected after the node timeout.
    const atSecond = await waitFinished(70);
    const executorKey = queuePrefix(prefix, 'executor');
    const dead = await redis.masterOf(executorKey);
    const heir = await redis.replicaOf(dead);
    cluster.note(`SIGKILL of master ${dead} (executor queue); ${heir} should take over; ${atSecond}`);
    console.info(`failover: SIGKILL of a master with ${atSecond}`);
    await redis.kill(dead);
    await redis.waitHealthy(60_000);
    expect(await redis.masterOf(executorKey)).toBe(heir);

    const ids = await idsP;
    await expectAllOnce(ids, 'failover');
    const republished = cluster.records((r) => r.msg === 'reconciler re-published work missing from Redis').length;
    console.info(`failover: the reconciler re-published work ${republished} times`);
  }, 240_000);
});

/** Pipeline files of the integration suite (their platform and webhooks service connect through createRedis only). */
const PIPELINE_FILES = ['tests/integration/src/pipeline.test.ts', 'tests/integration/src/semantics.test.ts', 'tests/integration/src/webhooks-ingress.test.ts'];
const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

/** Runs vitest on `files` in a child process (the root config), with `env` added; its exit code and output without colours. */
function runVitest(files: string[], env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(join(ROOT, 'node_modules/.bin/vitest'), ['run', ...files], { cwd: ROOT, env: { ...process.env, ...env, NO_COLOR: '1', FORCE_COLOR: '0' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    for (const s of [child.stdout, child.stderr]) s.setEncoding('utf8').on('data', (d: string) => (output += d));
    child.once('exit', (code) => resolve({ code, output }));
  });
}

async function until(check: () => Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > end) throw new Error(`timed out waiting until ${what}`);
    await sleep(100);
  }
}
