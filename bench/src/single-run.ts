import { QUEUES, queuePrefix } from '@weft/queue';
import type { CreateRunBody, Run } from '@weft/workflow-schema';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import pg from 'pg';
import type { BenchInfra } from './infra';
import type { BenchPlatform } from './platform';
import { watchPhase, type PhaseCost } from './resources';

const TERMINAL = new Set(['succeeded', 'failed', 'cancelled']);

export interface SingleRun {
  run: Run;
  /** POST /v1/runs sent → terminal status seen (polling the runs row). */
  clientMs: number;
  /** What the run cost, its queue tail included (CPU per process group, Postgres, Redis). */
  cost: PhaseCost;
  /** Jobs still waiting or active in Weft's queues when the run had finished, and how long they took to drain. */
  tail: { jobs: number; drainMs: number };
}

/**
 * Starts one (large) run and waits for it. The status is polled straight from the runs row
 * (one indexed SELECT every `pollMs`), not through GET /v1/runs/:id, so that waiting does not
 * load the gateway with the whole run (1,000 steps, 10,000 outputs) again and again. The run is
 * read through the API once it ended. Throws if it does not succeed within `timeoutMs`.
 */
export async function runOnce(
  infra: BenchInfra,
  platform: BenchPlatform,
  workflowId: string,
  inputs: CreateRunBody['inputs'],
  opts: { timeoutMs: number; pollMs?: number },
): Promise<SingleRun> {
  const db = new pg.Client({ connectionString: infra.databaseUrl });
  await db.connect();
  try {
    const watch = await watchPhase(infra);
    const t0 = performance.now();
    const { runId } = await platform.client.createRun({ workflowId, inputs });
    const until = Date.now() + opts.timeoutMs;
    for (;;) {
      const { rows } = await db.query<{ status: string }>('SELECT status FROM runs WHERE id = $1', [runId]);
      if (rows[0] && TERMINAL.has(rows[0].status)) break;
      if (Date.now() > until) {
        await watch.stop();
        throw new Error(`run ${runId} not finished after ${opts.timeoutMs} ms (status ${rows[0]?.status})`);
      }
      await new Promise((r) => setTimeout(r, opts.pollMs ?? 50));
    }
    const clientMs = performance.now() - t0;
    const tail = await drainQueues(infra, opts.timeoutMs);
    const cost = await watch.stop();
    // Every step (a 10,000-wide fan-out has more than GET /v1/runs/:id holds), read outside the timing.
    const run = await platform.client.getFullRun(runId);
    if (run.status !== 'succeeded') throw new Error(`run ${runId} ended ${run.status}: ${JSON.stringify(run.error)}`);
    return { run, clientMs, cost, tail };
  } finally {
    await db.end();
  }
}

/**
 * Waits until Weft's queues hold no waiting or active job: a finished run can leave jobs behind
 * (advance-run jobs for results an earlier transition already folded in), and the next measured
 * run must not queue behind them. Answers how many there were and how long they took.
 */
export async function drainQueues(infra: BenchInfra, timeoutMs: number): Promise<{ jobs: number; drainMs: number }> {
  const redis = new Redis(infra.redisUrl, { maxRetriesPerRequest: null });
  const queues = [QUEUES.orchestrator, QUEUES.executor].map((q) => new Queue(q, { connection: redis, prefix: queuePrefix(infra.prefix, q) }));
  const count = async () => {
    const counts = await Promise.all(queues.map((q) => q.getJobCounts('waiting', 'active', 'prioritized', 'delayed')));
    return counts.reduce((a, c) => a + Object.values(c).reduce((x, y) => x + y, 0), 0);
  };
  try {
    const t0 = performance.now();
    const jobs = await count();
    const until = Date.now() + timeoutMs;
    for (let left = jobs; left > 0; left = await count()) {
      if (Date.now() > until) throw new Error(`${left} jobs still in Weft's queues ${timeoutMs} ms after the run finished`);
      await new Promise((r) => setTimeout(r, 50));
    }
    return { jobs, drainMs: jobs ? performance.now() - t0 : 0 };
  } finally {
    await Promise.all(queues.map((q) => q.close()));
    redis.disconnect();
  }
}

export const ms = (iso: string | null | undefined) => (iso ? Date.parse(iso) : Number.NaN);
