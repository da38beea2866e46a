import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startApplyServer, type ApplyServer } from '../apply-server';
import { historyViolations } from '../checks';
import { WeftClient } from '@weft/sdk';
import { sleep } from '../infra';
import { countFinished, publish, startRuns, waitForRuns } from '../workload';
import { startDbHost, type DbHost } from './db-host';
import { Fleet, isReady, type Member } from './fleet';
import { removeLeftovers, Topology, type Host } from './netns';
import { missingOpsPrerequisite } from './prerequisites';

/**
 * Past one machine: two gateways, two orchestrators and three executors, each on its own host (a
 * network namespace), with Postgres and Redis on a host of their own, all on one bridge. With 500
 * runs in flight, one executor's host and then one orchestrator's host is cut off (link down at
 * the switch) for 20 s and brought back. Every run completes, every effect happens once (the
 * apply server counts Idempotency-Keys), no run is stuck.
 */
const RUNS = 500;
const CALLS = ['c1', 'c2', 'c3'] as const;
const CUT_MS = 20_000;

let topology: Topology | undefined;
let dbHost: DbHost | undefined;
let fleet: Fleet | undefined;
let apply: ApplyServer | undefined;
let pool: pg.Pool | undefined;

beforeAll(async () => {
  const missing = missingOpsPrerequisite();
  if (missing) throw new Error(`scale-out test cannot run: ${missing}`);
  const removed = removeLeftovers();
  if (removed.length) console.log(`removed leftovers of earlier runs: ${removed.join(', ')}`);
  topology = Topology.create();
  const t = topology;
  const db = t.addHost('db', 2);
  const hosts = {
    gateways: [t.addHost('gw1', 11), t.addHost('gw2', 12)],
    orchestrators: [t.addHost('orch1', 21), t.addHost('orch2', 22)],
    executors: [t.addHost('exec1', 31), t.addHost('exec2', 32), t.addHost('exec3', 33)],
  };
  [dbHost, apply] = await Promise.all([startDbHost(t, db), startApplyServer(t.runnerAddress)]);
  pool = new pg.Pool({ connectionString: dbHost.databaseUrl, max: 4 });
  fleet = new Fleet(t, {
    DATABASE_URL: dbHost.databaseUrl,
    REDIS_URL: dbHost.redisUrl,
    WEFT_QUEUE_PREFIX: 'weft',
    // The apply server, at the runner's address: the only outside service the executors call.
    WEFT_HTTP_ALLOW_CIDRS: `${t.runnerAddress}/32`,
    WEFT_HTTP_BREAKER_FAILURES: '100000',
    WEFT_DB_POOL_MAX: '8',
    WEFT_EXECUTOR_CONCURRENCY: '10',
    LOG_LEVEL: 'info',
  });
  const f = fleet;
  // The first gateway bootstraps the org and key; the others start once it has.
  const first = f.launch('gateway', hosts.gateways[0]!);
  await f.ready(first);
  const rest = [
    f.launch('gateway', hosts.gateways[1]!),
    ...hosts.orchestrators.map((h) => f.launch('orchestrator', h)),
    ...hosts.executors.map((h) => f.launch('executor', h)),
  ];
  await Promise.all(rest.map((m) => f.ready(m)));
}, 300_000);

afterAll(async () => {
  // Links back up first, so every process can end cleanly; then processes, servers, namespaces.
  if (topology) for (const h of topology.hosts.values()) topology.cut(h, false);
  await pool?.end().catch(() => undefined);
  await fleet?.stop().catch(() => undefined);
  await apply?.close().catch(() => undefined);
  await dbHost?.stop().catch(() => undefined);
  topology?.destroy();
}, 120_000);

/** trigger → c1 → c2 → c3 → out: three calls to the apply server, each keyed `weft-<runId>-<node>`. */
function threeCalls(applyUrl: string) {
  const call = (id: string) => ({
    id,
    type: 'http_request',
    config: {
      method: 'POST',
      url: `${applyUrl}/apply?delayMs=1500`,
      body: { n: '{{ input.n }}', call: id },
      timeoutMs: 5000,
      retry: { maxAttempts: 5, backoff: 'fixed', initialDelayMs: 500, maxDelayMs: 500 },
    },
  });
  return {
    nodes: [
      { id: 'trigger', type: 'trigger', config: {} },
      ...CALLS.map(call),
      { id: 'out', type: 'transform', config: { expression: '{ n: input.n, c1: steps.c1.output.body.applicationId, c2: steps.c2.output.body.applicationId, c3: steps.c3.output.body.applicationId }' } },
    ],
    edges: [
      { source: 'trigger', target: 'c1' },
      { source: 'c1', target: 'c2' },
      { source: 'c2', target: 'c3' },
      { source: 'c3', target: 'out' },
    ],
    settings: { output: 'steps.out.output' },
  };
}

interface CutReport {
  host: string;
  /** Runs not yet finished when the link went down. */
  openAtCut: number;
  /** Runs finished by the other hosts while this one was cut off. */
  finishedDuringCut: number;
  /** From link up until the cut process's /readyz answered 200 again (it reaches Postgres and Redis). */
  readyAfterMs: number;
  /** Executors: from link up until its first new call reached the apply server. */
  workingAfterMs?: number;
}

it('500 runs in flight across 2 gateways, 2 orchestrators and 3 executors on 7 hosts: an executor and then an orchestrator cut off for 20 s each, every run completes and every effect happens once', async () => {
  const f = fleet!;
  const a = apply!;
  const p = pool!;
  const gateways = f.of('gateway');
  const client = new WeftClient({ baseUrl: gateways[0]!.url, apiKey: f.apiKey });
  const wf = await publish(client, 'scale-out', threeCalls(a.url));

  // Half the runs through each gateway.
  const half = RUNS / 2;
  const ids = (
    await Promise.all(gateways.map((g, k) => startRuns({ url: g.url, apiKey: f.apiKey }, wf, half, { from: k * half, keyPrefix: 'scale', concurrency: 8 })))
  ).flat();
  expect(new Set(ids).size).toBe(RUNS);

  const from = (host: Host) => (d: { remoteAddress: string }) => d.remoteAddress.replace(/^::ffff:/, '') === host.address;
  const cut = async (m: Member): Promise<CutReport> => {
    const host: Host = m.host;
    const before = await countFinished(p, ids);
    f.note(`cutting ${host.name} (${host.address}) off for ${CUT_MS} ms`);
    topology!.cut(host, true);
    await sleep(CUT_MS);
    const during = (await countFinished(p, ids)) - before;
    const upAt = Date.now();
    topology!.cut(host, false);
    f.note(`${host.name} back`);
    let workingAfterMs: number | undefined;
    const off = a.onDelivery((d) => {
      if (workingAfterMs === undefined && from(host)(d)) workingAfterMs = Date.now() - upAt;
    });
    while (!(await isReady(m))) await sleep(100);
    const readyAfterMs = Date.now() - upAt;
    if (m.proc.kind === 'executor') {
      // Its recovery ends when it makes a call again (it has work as long as runs are open).
      while (workingAfterMs === undefined && Date.now() - upAt < 60_000 && (await countFinished(p, ids)) < RUNS) await sleep(100);
    }
    off();
    return { host: host.name, openAtCut: RUNS - before, finishedDuringCut: during, readyAfterMs, ...(m.proc.kind === 'executor' ? { workingAfterMs } : {}) };
  };

  // Wait until the executors are busy (a tenth of the calls made), then cut one executor's host,
  // then one orchestrator's.
  while (a.applied.size < (RUNS * CALLS.length) / 10) await sleep(100);
  const executor = f.of('executor')[0]!;
  const execCut = await cut(executor);
  const orchestrator = f.of('orchestrator')[0]!;
  const orchCut = await cut(orchestrator);
  console.log(`scale-out cuts: ${JSON.stringify([execCut, orchCut])}`);

  // No run is stuck: every run ends, and succeeds.
  const runs = await waitForRuns(p, ids, 240_000);
  const statuses = runs.reduce<Record<string, number>>((acc, r) => ((acc[r.status] = (acc[r.status] ?? 0) + 1), acc), {});
  expect(statuses).toEqual({ succeeded: RUNS });

  // Every effect happened once: one application per run and call, and the run's output names it.
  const keys = ids.flatMap((id) => CALLS.map((c) => `weft-${id}-${c}`));
  expect(keys.filter((k) => a.applications.get(k) !== 1)).toEqual([]);
  expect(a.applied.size).toBe(RUNS * CALLS.length);
  const wrongOutput = runs.filter((r) => CALLS.some((c) => (r.output as Record<string, string>)[c] !== a.applied.get(`weft-${r.id}-${c}`)?.id));
  expect(wrongOutput.map((r) => r.id)).toEqual([]);
  expect(await historyViolations(p, ids)).toEqual([]);
  const replayed = a.deliveries.filter((d) => d.replayed).length;
  console.log(`scale-out: ${a.deliveries.length} calls delivered for ${keys.length} effects (${replayed} re-deliveries answered from the stored result)`);

  // The cuts happened with runs in flight, and the others carried on meanwhile.
  expect(execCut.openAtCut).toBeGreaterThan(0);
  expect(orchCut.openAtCut).toBeGreaterThan(0);
  // Both cut processes are working members again; nothing crashed.
  expect(f.crashes()).toEqual([]);
  expect(await isReady(executor)).toBe(true);
  expect(await isReady(orchestrator)).toBe(true);
  // Every call came from an executor's host, and each executor made some.
  const executors = f.of('executor').map((m) => m.host);
  expect(a.deliveries.filter((d) => !executors.some((h) => from(h)(d)))).toEqual([]);
  expect(executors.filter((h) => !a.deliveries.some(from(h))).map((h) => h.name)).toEqual([]);
}, 600_000);
