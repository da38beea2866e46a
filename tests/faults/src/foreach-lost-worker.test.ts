import { createTestDatabase, createTestRedis, type TestDatabase } from '@weft/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { startApplyServer, type ApplyServer } from './apply-server';
import { historyViolations } from './checks';
import { Cluster } from './cluster';
import { sleep } from './infra';
import { publish, waitForRuns } from './workload';

/**
 * Issue 13: a for_each with an I/O body is one durable iteration per item, so an executor dying
 * mid-loop loses nothing. The iterations' first steps are written by the parent's transition (no
 * start job of their own) and their ends only wake the parent: this kills the only executor while
 * it holds a full window of iterations' HTTP calls and checks every item's output exactly once.
 */
let db: TestDatabase;
let redis: Awaited<ReturnType<typeof createTestRedis>>;
let apply: ApplyServer;
let cluster: Cluster;
let pool: pg.Pool;

beforeAll(async () => {
  [db, redis, apply] = await Promise.all([createTestDatabase(), createTestRedis(), startApplyServer()]);
  cluster = await Cluster.start({ label: 'foreach-lost-worker', databaseUrl: db.url, redisUrl: redis.url, prefix: redis.prefix, orchestrators: 1, executors: 1 });
  pool = new pg.Pool({ connectionString: db.url, max: 4 });
}, 120_000);

afterAll(async () => {
  await pool?.end();
  await cluster?.stop();
  await Promise.all([apply?.close(), redis?.cleanup(), db?.drop()]);
}, 60_000);

describe('A for_each whose executor dies mid-loop', () => {
  it('SIGKILLing the only executor while it holds iterations loses no item: every output once, in item order, each effect applied once', async () => {
    onTestFailed(() => console.error(`service logs: ${cluster.logFile}`));
    const ITEMS = 60;
    const wf = await publish(cluster.client, 'foreach-lost-worker', {
      nodes: [
        { id: 'trigger', type: 'trigger', config: {} },
        {
          id: 'each',
          type: 'for_each',
          config: {
            items: 'input.items',
            concurrency: 20,
            body: {
              nodes: [
                { id: 'start', type: 'trigger', config: {} },
                { id: 'call', type: 'http_request', config: { method: 'POST', url: `${apply.url}/apply?delayMs=800`, body: { n: '{{ item }}' } } },
                { id: 'out', type: 'transform', config: { expression: '{ n: item, applicationId: steps.call.output.body.applicationId }' } },
              ],
              edges: [
                { source: 'start', target: 'call' },
                { source: 'call', target: 'out' },
              ],
            },
          },
        },
      ],
      edges: [{ source: 'trigger', target: 'each' }],
      settings: { output: 'steps.each.output' },
    });
    const { runId } = await cluster.client.createRun({ workflowId: wf, inputs: { items: Array.from({ length: ITEMS }, (_, i) => i) } });

    // Kill the executor once some items are done and it holds its full concurrency (10) of calls.
    const progress = async () =>
      (
        await pool.query<{ done: number; running: number }>(
          `SELECT count(*) FILTER (WHERE r.status = 'succeeded')::int AS done,
                  (SELECT count(*)::int FROM run_steps s JOIN runs c ON c.id = s.run_id WHERE c.parent_run_id = $1 AND s.node_id = 'call' AND s.status = 'running') AS running
           FROM runs r WHERE r.parent_run_id = $1`,
          [runId],
        )
      ).rows[0]!;
    let p = await progress();
    for (let i = 0; i < 1500 && (p.done < 5 || p.running < 10); i++) {
      await sleep(20);
      p = await progress();
    }
    expect(p.running).toBeGreaterThanOrEqual(10);
    const [victim] = cluster.executors;
    victim!.signal('SIGKILL');
    await victim!.exited;
    cluster.note(`SIGKILL ${victim!.name} (${victim!.pid}) with ${p.done} items done and ${p.running} calls running`);
    cluster.forget(victim!);
    await cluster.ready(cluster.launch('executor'));

    const [run] = await waitForRuns(pool, [runId], 90_000);
    expect([run!.status, run!.error]).toEqual(['succeeded', null]);

    const { rows: iterations } = await pool.query<{ id: string; item_index: number; status: string }>(
      `SELECT id, item_index, status FROM runs WHERE parent_run_id = $1 AND kind = 'iteration' ORDER BY item_index`,
      [runId],
    );
    expect(iterations.map((r) => [r.item_index, r.status])).toEqual(Array.from({ length: ITEMS }, (_, i) => [i, 'succeeded']));
    // Each iteration's call carries its own key (its run's) and was applied exactly once, although
    // the calls in flight at the kill were delivered again.
    const keys = iterations.map((r) => `weft-${r.id}-call`);
    expect(keys.filter((k) => apply.applications.get(k) !== 1)).toEqual([]);
    expect(apply.applications.size).toBe(ITEMS);
    // Every item's output once, in item order, from the one application of its key.
    expect(run!.output).toEqual(keys.map((k, n) => ({ n, applicationId: apply.applied.get(k)!.id })));
    const replays = apply.deliveries.filter((d) => d.replayed).length;
    expect(await historyViolations(pool, [runId, ...iterations.map((r) => r.id)])).toEqual([]);
    expect(cluster.crashes()).toEqual([]);
    console.info(`for_each lost worker: SIGKILL with ${p.done} of ${ITEMS} items done and ${p.running} calls running; ${replays} re-deliveries answered from the stored response`);
  }, 180_000);
});
