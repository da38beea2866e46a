import { createTestDatabase, createTestRedis, type TestDatabase } from '@weft/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { startApplyServer, type ApplyServer } from './apply-server';
import { historyViolations } from './checks';
import { Cluster, FAST_RECOVERY } from './cluster';
import { sleep } from './infra';
import { publish, startRuns, waitForRuns } from './workload';

/**
 * The operator's experiment of issue 13: one executor, 30 runs in flight, `kill -9` of the
 * executor, a new one started. A lost worker is not the user's failure: with default node
 * settings (no retry policy) every run must still succeed, each remote effect happening once.
 *
 * Twice: with the killed steps claimed from their jobs, and with the killed steps dispatched
 * eagerly (a `function` step before them: its transition, written in the executor, claimed the
 * next step for that executor, running with a lease, and no job exists that could be delivered
 * again: only the lease brings them back).
 */
let db: TestDatabase;
let redis: Awaited<ReturnType<typeof createTestRedis>>;
let apply: ApplyServer;
let cluster: Cluster;
let pool: pg.Pool;

beforeAll(async () => {
  [db, redis, apply] = await Promise.all([createTestDatabase(), createTestRedis(), startApplyServer()]);
  cluster = await Cluster.start({ label: 'lost-worker', databaseUrl: db.url, redisUrl: redis.url, prefix: redis.prefix, orchestrators: 1, executors: 1 });
  pool = new pg.Pool({ connectionString: db.url, max: 4 });
}, 120_000);

afterAll(async () => {
  await pool?.end();
  await cluster?.stop();
  await Promise.all([apply?.close(), redis?.cleanup(), db?.drop()]);
}, 60_000);

const keyOf = (runId: string) => `weft-${runId}-call`;

const call = { id: 'call', type: 'http_request', config: { method: 'POST', url: '', body: { n: '{{ input.n }}' } } } as const;
const out = { id: 'out', type: 'transform', config: { expression: '{ n: input.n, applicationId: steps.call.output.body.applicationId }' } } as const;
const CASES = [
  {
    name: 'claimed from their jobs',
    nodes: [{ id: 'trigger', type: 'trigger', config: {} }, call, out],
    edges: [{ source: 'trigger', target: 'call' }, { source: 'call', target: 'out' }],
    eager: false,
  },
  {
    name: 'dispatched eagerly by the transition of the step before them (no job)',
    nodes: [{ id: 'trigger', type: 'trigger', config: {} }, { id: 'first', type: 'function', config: { name: 'slugify', args: { text: 'Run {{ input.n }}' } } }, call, out],
    edges: [{ source: 'trigger', target: 'first' }, { source: 'first', target: 'call' }, { source: 'call', target: 'out' }],
    eager: true,
  },
] as const;

describe('A lost worker', () => {
  it.each(CASES)('SIGKILLing the only executor with 30 runs in flight fails none of them: the lost steps ($name) are re-queued without using an attempt, and each effect happens once', async (c) => {
    onTestFailed(() => console.error(`service logs: ${cluster.logFile}`));
    const RUNS = 30;
    // Default node settings: no retry policy, no timeout (the default one, 5 s in the fault cluster).
    const wf = await publish(cluster.client, `lost-worker ${c.name}`, {
      nodes: c.nodes.map((n) => (n.id === 'call' ? { ...n, config: { ...n.config, url: `${apply.url}/apply?delayMs=1500` } } : n)),
      edges: [...c.edges],
      settings: { output: 'steps.out.output' },
    });
    const ids = await startRuns(cluster, wf, RUNS, { concurrency: 16 });

    // Kill the executor while it holds as many steps as it runs at once (its concurrency: 10).
    const [victim] = cluster.executors;
    const running = async () => (await pool.query<{ id: string }>(`SELECT id FROM run_steps WHERE run_id = ANY($1::uuid[]) AND status = 'running' AND node_id = 'call'`, [ids])).rows.map((r) => r.id);
    let inFlight: string[] = [];
    for (let i = 0; i < 200 && inFlight.length < 10; i++) {
      inFlight = await running();
      if (inFlight.length < 10) await sleep(20);
    }
    // How each was claimed: by the transition's write (started when written: started_at equals
    // available_at, one value) or by a delivery of its job (started when an executor got it).
    const { rows: eager } = await pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM run_steps WHERE id = ANY($1::uuid[]) AND status = 'running' AND started_at = available_at`,
      [inFlight],
    );
    victim!.signal('SIGKILL');
    const killedAt = Date.now();
    await victim!.exited;
    inFlight = await running(); // what the dead worker held, as Postgres says
    cluster.note(`SIGKILL ${victim!.name} (${victim!.pid}) holding ${inFlight.length} running step(s)`);
    cluster.forget(victim!);
    await cluster.ready(cluster.launch('executor'));
    const readyAt = Date.now();

    const runs = await waitForRuns(pool, ids, 60_000);
    expect(runs.filter((r) => r.status !== 'succeeded').map((r) => [r.id, r.status, r.error])).toEqual([]);
    expect(inFlight.length).toBeGreaterThan(0);
    if (c.eager) expect(eager[0]!.n).toBeGreaterThan(0);
    else expect(eager[0]!.n).toBe(0);

    // Each run's effect carries one key (its run's), and each key was applied once, although the
    // call in flight at the kill was delivered again (at least once, answered from the stored response).
    const keys = ids.map(keyOf);
    const keySet = new Set(keys);
    expect(new Set(apply.deliveries.filter((d) => keySet.has(d.key)).map((d) => d.key)).size).toBe(RUNS);
    expect(keys.filter((k) => apply.applications.get(k) !== 1)).toEqual([]);
    runs.forEach((r, n) => expect(r.output).toEqual({ n, applicationId: apply.applied.get(keys[n]!)!.id }));

    // The lost steps were re-queued as the same attempt: one attempt each, no timeout, the loss counted apart.
    const { rows: steps } = await pool.query<{ id: string; attempt: number; status: string; losses: number; error: unknown; finished_at: Date }>(
      `SELECT id, attempt, status, losses, error, finished_at FROM run_steps WHERE run_id = ANY($1::uuid[]) AND node_id = 'call'`,
      [ids],
    );
    expect(steps.filter((s) => s.attempt !== 1 || s.status !== 'succeeded' || s.error !== null)).toEqual([]);
    const lost = steps.filter((s) => inFlight.includes(s.id));
    expect(lost.filter((s) => s.losses < 1)).toEqual([]);
    // A live worker may also lose a lease when the machine stalls it past 2 s: allowed, and reported.
    const spurious = steps.filter((s) => !inFlight.includes(s.id) && s.losses > 0).length;
    expect(await historyViolations(pool, ids)).toEqual([]);
    expect(cluster.crashes()).toEqual([]);

    const recoveredAt = Math.max(...lost.map((s) => s.finished_at.getTime()));
    // When the sweeper noticed: its log line for each lost step (pino's ISO `time`).
    const noticed = cluster
      .records((r) => r.msg === 'step lost with its worker (lease expired): re-queued' && inFlight.includes(String(r.stepId)))
      .map((r) => Date.parse(String(r.time)));
    expect(noticed.length).toBeGreaterThanOrEqual(inFlight.length);
    const replays = apply.deliveries.filter((d) => keySet.has(d.key) && d.replayed).length;
    console.info(
      `lost worker (${c.name}): SIGKILL with ${inFlight.length} steps running (${eager[0]!.n} dispatched eagerly); re-queued by the sweeper ${Math.min(...noticed) - killedAt}–${Math.max(...noticed) - killedAt} ms after the kill, ` +
        `every one finished on the new executor ${recoveredAt - killedAt} ms after the kill ` +
        `(the new executor was ready ${readyAt - killedAt} ms after it) ` +
        `(lease ${FAST_RECOVERY.WEFT_STEP_LEASE_MS} ms, sweep every ${FAST_RECOVERY.WEFT_SWEEP_INTERVAL_MS} ms, step 1.5 s); ${replays} re-deliveries answered from the stored response; ${spurious} other step(s) lost a lease`,
    );
  }, 120_000);
});

/**
 * Issue 13: a for_each with an I/O body is one durable iteration per item, so an executor dying
 * mid-loop loses nothing. The iterations' first steps are written by the parent's transition (no
 * start job of their own) and their ends only wake the parent: this kills the only executor while
 * it holds a full window of iterations' HTTP calls and checks every item's output exactly once.
 */
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
    // Every item's output once, in item order, from the one application of its key.
    expect(run!.output).toEqual(keys.map((k, n) => ({ n, applicationId: apply.applied.get(k)!.id })));
    const mine = new Set(keys);
    const replays = apply.deliveries.filter((d) => mine.has(d.key) && d.replayed).length;
    expect(await historyViolations(pool, [runId, ...iterations.map((r) => r.id)])).toEqual([]);
    expect(cluster.crashes()).toEqual([]);
    console.info(`for_each lost worker: SIGKILL with ${p.done} of ${ITEMS} items done and ${p.running} calls running; ${replays} re-deliveries answered from the stored response`);
  }, 180_000);
});
