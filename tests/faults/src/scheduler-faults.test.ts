import { createTestDatabase, createTestRedis, type TestDatabase } from '@weft/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { Cluster } from './cluster';
import { sleep } from './infra';
import { publish, waitForRuns } from './workload';

/**
 * Issue 15's exactly-once experiment: 100 schedules firing every second for a minute, ticked by
 * two orchestrators (each runs a scheduler), one of them SIGKILLed midway and replaced. Every
 * nominal time of every schedule must fire exactly once: no second run, no gap, and every run it
 * started ends succeeded.
 */
const SCHEDULES = 100;
const FIRE_FOR_MS = 60_000;

let db: TestDatabase;
let redis: Awaited<ReturnType<typeof createTestRedis>>;
let cluster: Cluster;
let pool: pg.Pool;

beforeAll(async () => {
  [db, redis] = await Promise.all([createTestDatabase(), createTestRedis()]);
  cluster = await Cluster.start({
    label: 'scheduler-faults',
    databaseUrl: db.url,
    redisUrl: redis.url,
    prefix: redis.prefix,
    orchestrators: 2,
    executors: 1,
    env: { WEFT_SCHEDULER_INTERVAL_MS: '200' },
  });
  pool = new pg.Pool({ connectionString: db.url, max: 4 });
}, 120_000);

afterAll(async () => {
  await pool?.end();
  await cluster?.stop();
  await Promise.all([redis?.cleanup(), db?.drop()]);
}, 60_000);

interface FireRow {
  schedule_id: string;
  nominal_time: Date;
  outcome: string;
  run_id: string | null;
}

describe('Schedules under a scheduler crash', () => {
  it('100 schedules firing every second for a minute across two schedulers, one SIGKILLed midway: every nominal time fires exactly once and its run succeeds', async () => {
    onTestFailed(() => console.error(`service logs: ${cluster.logFile}`));
    const workflowId = await publish(cluster.client, 'every-second', {
      nodes: [
        { id: 'trigger', type: 'trigger', config: {} },
        { id: 'echo', type: 'transform', config: { expression: 'input' } },
      ],
      edges: [{ source: 'trigger', target: 'echo' }],
      settings: { output: 'steps.echo.output' },
    });
    // `allow`: every fire starts a run; `all`: a scheduler that lags behind under load replays what it
    // missed instead of dropping it, so any gap is a lost fire, not the catch-up policy.
    const ids: string[] = [];
    for (let i = 0; i < SCHEDULES; i++) {
      const s = await cluster.client.createSchedule(workflowId, { cron: '* * * * * *', timezone: 'UTC', inputs: { i }, overlap: 'allow', catchup: 'all' });
      ids.push(s.id);
    }
    const firingSince = Date.now();

    await sleep(FIRE_FOR_MS / 2);
    const [victim] = cluster.orchestrators;
    victim!.signal('SIGKILL');
    await victim!.exited;
    cluster.note(`SIGKILL ${victim!.name} (${victim!.pid}) midway`);
    cluster.forget(victim!);
    await cluster.ready(cluster.launch('orchestrator'));
    await sleep(Math.max(0, firingSince + FIRE_FOR_MS - Date.now()));

    // Stop the schedules (as a user would) and let the fires already due be written.
    await pool.query(`UPDATE schedules SET enabled = false WHERE id = ANY($1::uuid[])`, [ids]);
    await sleep(1_000);

    const { rows: fires } = await pool.query<FireRow>(
      `SELECT schedule_id, nominal_time, outcome, run_id FROM schedule_fires WHERE schedule_id = ANY($1::uuid[]) ORDER BY schedule_id, nominal_time`,
      [ids],
    );
    const bySchedule = new Map<string, FireRow[]>(ids.map((id) => [id, []]));
    for (const f of fires) bySchedule.get(f.schedule_id)!.push(f);

    // No gap and no repeat: each schedule's nominal times are consecutive seconds.
    const broken: string[] = [];
    for (const [id, list] of bySchedule) {
      if (list.length < 30) broken.push(`${id}: only ${list.length} fires`);
      for (let k = 1; k < list.length; k++) {
        const step = list[k]!.nominal_time.getTime() - list[k - 1]!.nominal_time.getTime();
        if (step !== 1000) broken.push(`${id}: ${list[k - 1]!.nominal_time.toISOString()} → ${list[k]!.nominal_time.toISOString()}`);
      }
    }
    expect(broken).toEqual([]);
    expect(fires.filter((f) => f.outcome !== 'started' || !f.run_id)).toEqual([]);

    // One run per fire, and no run without its fire.
    const runIds = fires.map((f) => f.run_id!);
    expect(new Set(runIds).size).toBe(fires.length);
    const { rows: scheduled } = await pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM runs WHERE trigger_type = 'schedule' AND trigger_id = ANY($1::uuid[])`,
      [ids],
    );
    expect(scheduled[0]!.n).toBe(fires.length);

    // Every started run ends succeeded: no start job was lost with the killed orchestrator.
    const runs = await waitForRuns(pool, runIds, 180_000);
    expect(runs.filter((r) => r.status !== 'succeeded').map((r) => [r.id, r.status, r.error])).toEqual([]);
    expect(cluster.crashes()).toEqual([]);
    console.info(`scheduler faults: ${SCHEDULES} schedules, ${fires.length} fires in ${FIRE_FOR_MS / 1000} s across a scheduler SIGKILL, each once; all ${runs.length} runs succeeded`);
  }, 420_000);
});
