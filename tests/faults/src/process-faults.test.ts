import { createTestDatabase, createTestRedis, type TestDatabase } from '@weft/testing';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it, onTestFailed } from 'vitest';
import { startApplyServer, type ApplyServer, type Delivery } from './apply-server';
import { attemptsOf, historyViolations } from './checks';
import { Cluster, type ServiceProcess } from './cluster';
import { sleep } from './infra';
import { socketOwner } from './socket-owner';
import { applyWorkflow, countFinished, publish, startRuns, waitForRuns } from './workload';

/**
 * Real processes, real signals: 2 orchestrators, 3 executors and a gateway, each its own
 * `node` process, SIGKILLed, SIGSTOPped and SIGTERMed while runs go through them.
 */
let db: TestDatabase;
let redis: Awaited<ReturnType<typeof createTestRedis>>;
let apply: ApplyServer;
let cluster: Cluster;
let pool: pg.Pool;

beforeAll(async () => {
  [db, redis, apply] = await Promise.all([createTestDatabase(), createTestRedis(), startApplyServer()]);
  cluster = await Cluster.start({ label: 'process-faults', databaseUrl: db.url, redisUrl: redis.url, prefix: redis.prefix, orchestrators: 2, executors: 3 });
  pool = new pg.Pool({ connectionString: db.url, max: 4 });
}, 120_000);

afterAll(async () => {
  await pool?.end();
  await cluster?.stop();
  await Promise.all([apply?.close(), redis?.cleanup(), db?.drop()]);
}, 60_000);

beforeEach(async () => {
  onTestFailed(() => console.error(`service logs: ${cluster.logFile}`));
  // Every test starts with 3 executors and 2 orchestrators up.
  await Promise.all([...cluster.executors, ...cluster.orchestrators].map((p) => cluster.ready(p)));
});

/** The executor process that sent a delivery to the apply server. */
function executorOf(d: Delivery): ServiceProcess | undefined {
  const pid = socketOwner(d.remotePort, apply.port, cluster.executors.map((e) => e.pid));
  return cluster.executors.find((e) => e.pid === pid);
}

const keyOf = (runId: string, nodeId: string) => `weft-${runId}-${nodeId}`;

describe('Executor faults', () => {
  /**
   * Starts one run whose step takes `stepMs`, SIGTERMs the executor holding it as soon as the
   * remote side sees the call, and waits for the run and that executor's exit.
   */
  async function sigtermDuringStep(name: string, stepMs: number) {
    const wf = await publish(cluster.client, name, applyWorkflow(apply.url, { delayMs: stepMs, timeoutMs: 20_000, maxAttempts: 1 }));
    let stopping: { proc: ServiceProcess; exit: Promise<{ code: number | null }> } | undefined;
    const off = apply.onDelivery((d) => {
      if (stopping || d.path !== '/apply') return;
      const proc = executorOf(d);
      if (proc) stopping = { proc, exit: proc.terminate(30_000) };
    });
    try {
      const [runId] = await startRuns(cluster, wf, 1);
      const [run] = await waitForRuns(pool, [runId!], 40_000);
      expect(stopping, 'the executor holding the step was found').toBeDefined();
      const exit = await stopping!.exit;
      cluster.forget(stopping!.proc);
      const key = keyOf(runId!, 'call');
      expect(exit.code).toBe(0);
      expect(run!.status).toBe('succeeded');
      expect(apply.applications.get(key)).toBe(1);
      expect((run!.output as { applicationId: string }).applicationId).toBe(apply.applied.get(key)!.id);
      // Either way the step is one attempt that succeeded (an interrupted attempt is not a failed one).
      expect((await attemptsOf(pool, runId!, 'call')).map((a) => [a.attempt, a.status])).toEqual([[1, 'succeeded']]);
      expect(await historyViolations(pool, [runId!])).toEqual([]);
      return { runId: runId!, key, proc: stopping!.proc, deliveries: apply.deliveries.filter((d) => d.key === key) };
    } finally {
      off();
      cluster.launch('executor');
    }
  }

  it('An executor stopped with SIGTERM finishes its running 2 s step within its 4 s grace period, records it, and exits 0', async () => {
    const r = await sigtermDuringStep('graceful', 2000);
    // The step ran once, on the executor that was stopping, and was recorded whole.
    expect(r.deliveries).toHaveLength(1);
    expect(r.proc.records().some((x) => x.msg === 'executor stopping: finishing running steps')).toBe(true);
    const { rows } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM outbox`);
    expect(rows[0]!.n).toBe(0);
    expect(cluster.crashes()).toEqual([]);
  }, 60_000);

  it('An executor stopped with SIGTERM past its 4 s grace period releases its running step to another executor, which runs it once, and exits 0', async () => {
    const r = await sigtermDuringStep('graceful-past-grace', 8000);
    expect(r.proc.records().some((x) => x.msg === 'shutdown grace period over: running steps released to other executors' && x.released === 1)).toBe(true);
    // Delivered twice (the stopping executor, then another one); the remote side applied it once.
    expect(r.deliveries.map((d) => d.replayed)).toEqual([false, true]);
    expect(cluster.crashes()).toEqual([]);
  }, 60_000);

  it('A step whose executor freezes past its deadline is retried elsewhere; the frozen completion is discarded and the effect happens once', async () => {
    const wf = await publish(cluster.client, 'freeze', applyWorkflow(apply.url, { delayMs: 300, timeoutMs: 1500, maxAttempts: 3 }));
    let frozen: ServiceProcess | undefined;
    const off = apply.onDelivery((d) => {
      if (frozen || d.path !== '/apply') return;
      frozen = executorOf(d);
      frozen?.signal('SIGSTOP'); // like a GC pause or a stalled VM: no timer, no socket, nothing runs
    });
    try {
      const [runId] = await startRuns(cluster, wf, 1);
      // The run completes while the executor that took the first attempt is still frozen.
      const [run] = await waitForRuns(pool, [runId!], 30_000);
      expect(frozen, 'the executor holding the step was found and frozen').toBeDefined();
      expect(run!.status).toBe('succeeded');
      const [first, second] = await attemptsOf(pool, runId!, 'call');
      expect(first).toMatchObject({ attempt: 1, status: 'failed', error: { code: 'timeout' } });
      expect(second).toMatchObject({ attempt: 2, status: 'succeeded' });

      // Thawed, it finishes attempt 1 late: the fenced write refuses it, and says so.
      frozen!.signal('SIGCONT');
      await frozen!.waitForLine((l) => l.includes('stale completion discarded') && l.includes(first!.id), 15_000);
      const after = await attemptsOf(pool, runId!, 'call');
      expect(after[0]).toMatchObject({ status: 'failed', error: { code: 'timeout' } });
      expect(after).toHaveLength(2);

      const key = keyOf(runId!, 'call');
      expect(apply.applications.get(key)).toBe(1);
      expect(apply.deliveries.filter((d) => d.key === key).map((d) => d.replayed)).toEqual([false, true]);
      expect((run!.output as { applicationId: string }).applicationId).toBe(apply.applied.get(key)!.id);
      expect(frozen!.alive).toBe(true);
      expect(await historyViolations(pool, [runId!])).toEqual([]);
    } finally {
      off();
      frozen?.signal('SIGCONT');
    }
    expect(cluster.crashes()).toEqual([]);
  }, 60_000);

  it('A poison step that kills its executor every time fails the run after its 3 attempts and is not delivered again', async () => {
    const wf = await publish(cluster.client, 'poison', applyWorkflow(apply.url, { path: '/hang', delayMs: 0, timeoutMs: 1500, maxAttempts: 3 }));
    const killed: number[] = [];
    const off = apply.onDelivery((d) => {
      if (d.path !== '/hang') return;
      const proc = executorOf(d);
      if (!proc) return;
      killed.push(proc.pid);
      void cluster.killAndReplace(proc); // the step takes its worker down with it, every time
    });
    try {
      const [runId] = await startRuns(cluster, wf, 1);
      const [run] = await waitForRuns(pool, [runId!], 45_000);
      expect(run!.status).toBe('failed');
      expect(run!.error).toMatchObject({ code: 'timeout', nodeId: 'call' });
      const attempts = await attemptsOf(pool, runId!, 'call');
      expect(attempts.map((a) => [a.attempt, a.status, a.error?.code])).toEqual([
        [1, 'failed', 'timeout'],
        [2, 'failed', 'timeout'],
        [3, 'failed', 'timeout'],
      ]);
      expect(killed).toHaveLength(3);
      // Nothing brings it back: no fourth delivery while the sweeper and reconcilers keep running.
      await sleep(3000);
      expect(apply.deliveries.filter((d) => d.key === keyOf(runId!, 'call'))).toHaveLength(3);
      expect((await attemptsOf(pool, runId!, 'call')).length).toBe(3);
      expect(await historyViolations(pool, [runId!])).toEqual([]);
    } finally {
      off();
    }
    expect(cluster.crashes()).toEqual([]);
  }, 90_000);

  it('Disaster drill: a step whose executor dies mid-step every time lands among the failed runs; once the fault is gone, the dashboard’s redrive completes it and the effect happened once', async () => {
    const wf = await publish(cluster.client, 'drill', applyWorkflow(apply.url, { delayMs: 300, timeoutMs: 5000, maxAttempts: 2 }));
    let faulty = true;
    const killed: number[] = [];
    const off = apply.onDelivery((d) => {
      if (!faulty || d.path !== '/apply') return;
      const proc = executorOf(d);
      if (!proc) return;
      killed.push(proc.pid);
      void cluster.killAndReplace(proc); // the host of the step dies mid-step (an OOM kill, a lost node)
    });
    try {
      const [runId] = await startRuns(cluster, wf, 1);
      const key = keyOf(runId!, 'call');
      const [failed] = await waitForRuns(pool, [runId!], 45_000);
      expect(failed!.status).toBe('failed');
      expect(failed!.error).toMatchObject({ nodeId: 'call' });
      expect(killed.length).toBeGreaterThanOrEqual(2);
      // The operator finds it where the dashboard's "Failed" filter looks.
      const listed = await cluster.client.listRuns({ workflowId: wf, status: 'failed' });
      expect(listed.items.map((r) => r.id)).toContain(runId);

      // The fault is fixed (the executors stop dying); the operator presses the run page's Retry
      // (the dashboard calls POST /v1/runs/:id/retry, as its bulk "Retry" does for each selected run).
      faulty = false;
      await Promise.all(cluster.executors.map((p) => cluster.ready(p)));
      expect(await cluster.client.retryRun(runId!)).toMatchObject({ runId });
      // The request is recorded with the run and taken up by an orchestrator, which reopens it.
      for (let i = 0; ; i++) {
        const { rows } = await pool.query<{ taken: boolean }>('SELECT retry_request IS NULL AS taken FROM runs WHERE id = $1', [runId]);
        if (rows[0]!.taken) break;
        if (i > 300) throw new Error('no orchestrator took the retry request up within 30 s');
        await sleep(100);
      }
      const [run] = await waitForRuns(pool, [runId!], 45_000);
      const attempts = await attemptsOf(pool, runId!, 'call');
      expect(run!.status, JSON.stringify({ error: run!.error, attempts })).toBe('succeeded');
      // The first delivery reached the remote side before its executor died: every later one,
      // the redriven attempt's included, carried the same Idempotency-Key and applied nothing new.
      expect(apply.applications.get(key)).toBe(1);
      expect((run!.output as { applicationId: string }).applicationId).toBe(apply.applied.get(key)!.id);
      expect(await historyViolations(pool, [runId!])).toEqual([]);
    } finally {
      off();
      faulty = false;
    }
    expect(cluster.crashes()).toEqual([]);
  }, 120_000);

  it('Two hundred HTTP runs all succeed, each Idempotency-Key applied once, while executors are SIGKILLed again and again', async () => {
    const RUNS = 200;
    const wf = await publish(cluster.client, 'kill-storm', applyWorkflow(apply.url, { delayMs: 800, timeoutMs: 2000, maxAttempts: 8 }));
    const firstDelivery = new Promise<void>((resolve) => {
      const off = apply.onDelivery(() => {
        off();
        resolve();
      });
    });
    const runIdsP = startRuns(cluster, wf, RUNS, { concurrency: 16 });
    await firstDelivery;
    // Kill a random executor every 1.2 s while runs are in flight (5 kills, fewer if all ended).
    const runIds: string[] = [];
    void runIdsP.then((ids) => runIds.push(...ids));
    let kills = 0;
    for (; kills < 5; kills++) {
      await sleep(1200);
      if (runIds.length === RUNS && (await countFinished(pool, runIds)) === RUNS) break;
      const up = cluster.executors.filter((e) => e.alive && e.lines.some((l) => l.includes('executor started')));
      const victim = up[Math.floor(Math.random() * up.length)];
      if (!victim) continue;
      cluster.note(`SIGKILL ${victim.name} (${victim.pid})`);
      await cluster.killAndReplace(victim);
    }
    const ids = await runIdsP;
    const runs = await waitForRuns(pool, ids, 120_000);

    expect(kills).toBeGreaterThanOrEqual(3);
    expect(runs.filter((r) => r.status !== 'succeeded').map((r) => [r.id, r.status, r.error])).toEqual([]);
    const keys = ids.map((id) => keyOf(id, 'call'));
    // Every run's call reached the remote side, and its effect happened exactly once.
    expect(keys.filter((k) => apply.applications.get(k) !== 1)).toEqual([]);
    runs.forEach((r, n) => {
      expect(r.output).toEqual({ n, applicationId: apply.applied.get(keys[n]!)!.id });
    });
    // The faults were real: steps died with their executor, timed out and were delivered again.
    const { rows } = await pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM run_steps WHERE run_id = ANY($1::uuid[]) AND node_id = 'call' AND error->>'code' = 'timeout'`,
      [ids],
    );
    const keySet = new Set(keys);
    const replays = apply.deliveries.filter((d) => keySet.has(d.key) && d.replayed).length;
    console.info(`kill storm: ${kills} executor kills, ${rows[0]!.n} steps timed out by the sweeper, ${replays} duplicate deliveries answered from the stored response`);
    expect(rows[0]!.n).toBeGreaterThan(0);
    expect(replays).toBeGreaterThan(0);
    expect(await historyViolations(pool, ids)).toEqual([]);
    expect(cluster.crashes()).toEqual([]);
  }, 180_000);
});

describe('Orchestrator faults', () => {
  it('SIGKILLing an orchestrator mid-transition, one of two at a time, leaves no run stuck and no transition applied twice', async () => {
    const RUNS = 200;
    const definition = {
      nodes: [
        { id: 'trigger', type: 'trigger', config: {} },
        { id: 'a', type: 'http_request', config: { method: 'POST', url: `${apply.url}/apply?delayMs=50`, body: { n: '{{ input.n }}' }, timeoutMs: 3000, retry: { maxAttempts: 5, backoff: 'fixed', initialDelayMs: 100, maxDelayMs: 100 } } },
        { id: 'mid', type: 'transform', config: { expression: 'steps.a.output.body.applicationId' } },
        { id: 'b', type: 'http_request', config: { method: 'POST', url: `${apply.url}/apply?delayMs=50`, body: { n: '{{ input.n }}' }, timeoutMs: 3000, retry: { maxAttempts: 5, backoff: 'fixed', initialDelayMs: 100, maxDelayMs: 100 } } },
        { id: 'out', type: 'transform', config: { expression: '{ n: input.n, a: steps.mid.output, b: steps.b.output.body.applicationId }' } },
      ],
      edges: [
        { source: 'trigger', target: 'a' },
        { source: 'a', target: 'mid' },
        { source: 'mid', target: 'b' },
        { source: 'b', target: 'out' },
      ],
      settings: { output: 'steps.out.output' },
    };
    const wf = await publish(cluster.client, 'orchestrator-kill', definition);
    const pgPort = Number(new URL(db.url).port || 5432);
    const runIdsP = startRuns(cluster, wf, RUNS, { concurrency: 16 });

    // Kill each of the two original orchestrators once, at a moment it holds an open transaction.
    const kills: { name: string; openTransactions: number }[] = [];
    for (const victim of [...cluster.orchestrators]) {
      const until = Date.now() + 20_000;
      let open = 0;
      while (Date.now() < until) {
        open = await openTransactionsOf(victim.pid, pgPort);
        if (open > 0) break;
        await sleep(20);
      }
      victim.signal('SIGKILL');
      cluster.note(`SIGKILL ${victim.name} (${victim.pid}) with ${open} open transaction(s)`);
      kills.push({ name: victim.name, openTransactions: open });
      await victim.exited;
      cluster.forget(victim);
      await cluster.ready(cluster.launch('orchestrator'));
    }
    const ids = await runIdsP;
    const runs = await waitForRuns(pool, ids, 120_000);
    console.info(`orchestrator kills: ${kills.map((k) => `${k.name} with ${k.openTransactions} open transaction(s)`).join(', ')}`);

    expect(kills.filter((k) => k.openTransactions > 0).length).toBeGreaterThan(0);
    expect(runs.filter((r) => r.status !== 'succeeded').map((r) => [r.id, r.status, r.error])).toEqual([]);
    runs.forEach((r, n) => {
      expect(r.output).toEqual({ n, a: apply.applied.get(keyOf(ids[n]!, 'a'))!.id, b: apply.applied.get(keyOf(ids[n]!, 'b'))!.id });
    });
    const keys = ids.flatMap((id) => [keyOf(id, 'a'), keyOf(id, 'b')]);
    expect(keys.filter((k) => apply.applications.get(k) !== 1)).toEqual([]);
    expect(await historyViolations(pool, ids)).toEqual([]);
    expect(cluster.crashes()).toEqual([]);
  }, 180_000);
});

describe('Orchestrator start', () => {
  it('A fresh orchestrator with a small pool takes a burst of runs of a workflow it has never seen without deadlocking', async () => {
    // Each transition used to load the workflow graph through the pool while holding a pooled
    // connection for its transaction: with every connection held that way, nobody could proceed.
    const wf = await publish(cluster.client, 'cold-burst', {
      nodes: [
        { id: 'trigger', type: 'trigger', config: {} },
        { id: 'double', type: 'transform', config: { expression: 'input.n' } },
      ],
      edges: [{ source: 'trigger', target: 'double' }],
      settings: { output: 'steps.double.output' },
    });
    const running = [...cluster.orchestrators];
    for (const o of running) o.signal('SIGSTOP'); // the burst waits in Redis for the newcomer
    let fresh: ServiceProcess | undefined;
    try {
      const ids = await startRuns(cluster, wf, 40, { concurrency: 16 });
      fresh = cluster.launch('orchestrator', { WEFT_DB_POOL_MAX: '2', WEFT_ORCHESTRATOR_CONCURRENCY: '16' });
      await cluster.ready(fresh);
      const runs = await waitForRuns(pool, ids, 30_000);
      expect(runs.map((r) => r.status)).toEqual(ids.map(() => 'succeeded'));
      expect(runs.map((r) => r.output)).toEqual(ids.map((_, n) => n));
    } finally {
      for (const o of running) o.signal('SIGCONT');
      if (fresh) {
        await fresh.terminate();
        cluster.forget(fresh);
      }
    }
    expect(cluster.crashes()).toEqual([]);
  }, 90_000);
});

/** Transactions the process `pid` has open on Postgres right now (matched by its sockets' ports). */
async function openTransactionsOf(pid: number, pgPort: number): Promise<number> {
  const { rows } = await pool.query<{ client_port: number }>(
    `SELECT client_port FROM pg_stat_activity WHERE datname = current_database() AND xact_start IS NOT NULL AND pid <> pg_backend_pid() AND client_port IS NOT NULL`,
  );
  return rows.filter((r) => socketOwner(r.client_port, pgPort, [pid]) === pid).length;
}
