import { createTestDatabase, type TestDatabase } from '@weft/testing';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it, onTestFailed } from 'vitest';
import { startApplyServer, type ApplyServer } from './apply-server';
import { historyViolations } from './checks';
import { Cluster } from './cluster';
import { sleep, startPrivateRedis, type PrivateRedis } from './infra';
import { applyWorkflow, publish, startRuns, waitForRuns } from './workload';

/**
 * Redis carries work, Postgres holds the truth: a redis-server of this file alone (no
 * persistence) is killed and started empty, or flushed, while 500 runs are queued or running.
 * The reconciler re-publishes what went missing (WEFT_RECONCILE_AFTER_MS=2000).
 */
let db: TestDatabase;
let redis: PrivateRedis;
let apply: ApplyServer;
let cluster: Cluster;
let pool: pg.Pool;
let workflowId: string;
const RUNS = 500;

describe('Losing Redis under load', () => {
  beforeAll(async () => {
    [db, redis, apply] = await Promise.all([createTestDatabase(), startPrivateRedis(), startApplyServer()]);
    cluster = await Cluster.start({ label: 'redis-faults', databaseUrl: db.url, redisUrl: redis.url, orchestrators: 2, executors: 3 });
    pool = new pg.Pool({ connectionString: db.url, max: 4 });
    workflowId = await publish(cluster.client, 'redis-loss', applyWorkflow(apply.url, { delayMs: 100, timeoutMs: 3000, maxAttempts: 5 }));
  }, 120_000);

  afterAll(async () => {
    await pool?.end();
    await cluster?.stop();
    await Promise.all([apply?.close(), redis?.stop(), db?.drop()]);
  }, 60_000);

  beforeEach(() => {
    onTestFailed(() => console.error(`service logs: ${cluster.logFile}`));
  });

  /** Starts RUNS runs, applies `fault` once a quarter of them finished, and checks every one completes once. */
  async function survive(label: string, fault: () => Promise<void>) {
    const runIdsP = startRuns(cluster, workflowId, RUNS, { concurrency: 16, keyPrefix: label });
    // Strike while runs are both queued and running: once the first ones finished.
    const until = Date.now() + 60_000;
    for (;;) {
      const { rows } = await pool.query<{ finished: number; open: number }>(
        `SELECT count(*) FILTER (WHERE status = 'succeeded')::int AS finished, count(*) FILTER (WHERE status IN ('queued', 'running'))::int AS open FROM runs WHERE idempotency_key LIKE $1`,
        [`${label}-%`],
      );
      if (rows[0]!.finished >= 25 || Date.now() > until) {
        cluster.note(`${label}: fault with ${rows[0]!.finished} finished and ${rows[0]!.open} queued/running`);
        console.info(`${label}: fault struck with ${rows[0]!.finished} runs finished and ${rows[0]!.open} queued or running`);
        break;
      }
      await sleep(100);
    }
    await fault();
    const ids = await runIdsP;
    const runs = await waitForRuns(pool, ids, 150_000);
    expect(runs.filter((r) => r.status !== 'succeeded').map((r) => [r.id, r.status, r.error])).toEqual([]);
    runs.forEach((r, i) => {
      const key = `weft-${ids[i]}-call`;
      expect(r.output).toEqual({ n: i, applicationId: apply.applied.get(key)?.id });
    });
    expect(ids.map((id) => `weft-${id}-call`).filter((k) => apply.applications.get(k) !== 1)).toEqual([]);
    expect(await historyViolations(pool, ids)).toEqual([]);
    const republished = cluster.records((r) => r.msg === 'reconciler re-published work missing from Redis').length;
    console.info(`${label}: ${RUNS} runs succeeded; the reconciler re-published work ${republished} times so far`);
    expect(cluster.crashes()).toEqual([]);
  }

  it('Every one of 500 runs completes when Redis is killed and restarted empty under load', async () => {
    await survive('restart', async () => {
      await redis.kill();
      await sleep(1000);
      await redis.start();
    });
  }, 240_000);

  it('Every one of 500 runs completes when Redis is flushed (FLUSHALL) under load', async () => {
    await survive('flushall', () => redis.flushall());
  }, 240_000);
});
