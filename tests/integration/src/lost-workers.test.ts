import { executeStep, releaseSteps, StepLeases, type ExecutorResources, type Processors } from '@weft/executor';
import { createLogger } from '@weft/logger';
import type { QueueName } from '@weft/queue';
import { recoverLostSteps } from '@weft/orchestrator';
import { GraphCache } from '@weft/run-store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatform, type Platform } from './platform';

// The gateway alone: the test plays the executors (executeStep with its own processors) and the
// sweeper (recoverLostSteps), so it decides exactly when a worker pauses, dies or comes back.
let p: Platform;
let workflowId: string;
const logger = createLogger({ service: 'test', level: process.env.TEST_LOG_LEVEL ?? 'silent' });

beforeAll(async () => {
  p = await startPlatform({ workers: false });
  const wf = await p.client.createWorkflow({
    name: 'lost-worker',
    definition: {
      nodes: [{ id: 't', type: 'trigger', config: {} }, { id: 'call', type: 'http_request', config: { method: 'POST', url: 'http://127.0.0.1:9/never' } }],
      edges: [{ source: 't', target: 'call' }],
    },
  });
  await p.client.publishVersion(wf.id);
  workflowId = wf.id;
});
afterAll(async () => {
  await p?.stop();
});

interface StepRow {
  status: string;
  attempt: number;
  fence: number;
  losses: number;
  output: unknown;
  error: { code: string; retryable: boolean; message: string } | null;
}

/** A run with its `call` step queued, as the orchestrator leaves it for an executor. */
async function queuedStep(): Promise<{ runId: string; stepId: string }> {
  const { runId } = await p.client.createRun({ workflowId, inputs: {} });
  const stepId = crypto.randomUUID();
  await p.db.pool.query(
    `INSERT INTO run_steps (id, org_id, run_id, node_id, node_type, attempt, status) VALUES ($1, $2, $3, 'call', 'http_request', 1, 'queued')`,
    [stepId, p.orgId, runId],
  );
  return { runId, stepId };
}

const stepRow = async (stepId: string) =>
  (await p.db.pool.query<StepRow>(`SELECT status, attempt, fence, losses, output, error FROM run_steps WHERE id = $1`, [stepId])).rows[0]!;

/** One executor process: its http_request processor is `work` (no network). */
function executor(work: (signal: AbortSignal) => Promise<unknown>): ExecutorResources {
  return {
    pool: p.db.pool,
    queues: p.queues,
    logger,
    // Only the type these tests run: any other type would fail its step with unsupported_node.
    processors: { http_request: ({ signal }) => work(signal) } satisfies Partial<Processors> as Processors,
    graphs: new GraphCache(p.db.pool),
    running: new Map(),
    defaultTimeoutMs: 60_000,
    // Not started: a paused or dead worker renews nothing.
    leases: new StepLeases(p.db.pool, 60_000, logger),
  };
}

/** What the sweeper sees once the lease has run out (the worker stopped renewing). */
async function leaseRunsOut(stepId: string) {
  await p.db.pool.query(`UPDATE run_steps SET lease_expires_at = now() - interval '1 second' WHERE id = $1`, [stepId]);
  return recoverLostSteps(p.db.pool, p.queues, { graceMs: 0, maxLosses: 3 }, logger);
}

async function until(check: () => Promise<boolean>) {
  for (let i = 0; i < 200 && !(await check()); i++) await new Promise((r) => setTimeout(r, 25));
}

const jobIdsOf = async (queue: QueueName) => (await p.queues.queue(queue).getJobs(['waiting', 'delayed', 'prioritized'])).map((j) => j.id);

describe('A step lost with its worker', () => {
  it('is re-queued as the same attempt when its lease expires, and the paused worker’s late completion is discarded', async () => {
    const { stepId } = await queuedStep();
    let wake!: () => void;
    const paused = new Promise<void>((resolve) => (wake = resolve));
    // Worker A claims the step, then stalls (a GC pause, SIGSTOP) past its lease.
    const a = executeStep(executor(() => paused.then(() => ({ by: 'A' }))), stepId);
    await until(async () => (await stepRow(stepId)).status === 'running');
    expect(await stepRow(stepId)).toMatchObject({ status: 'running', fence: 1, losses: 0 });

    expect(await leaseRunsOut(stepId)).toEqual({ requeued: 1, failed: 0 });
    expect(await stepRow(stepId)).toMatchObject({ status: 'queued', attempt: 1, fence: 2, losses: 1 });
    // A new delivery with its own job id (fence 2), published after commit.
    expect(await jobIdsOf('executor')).toContain(`step.${stepId}.2`);

    // Worker B takes the new delivery and finishes it.
    await executeStep(executor(async () => ({ by: 'B' })), stepId);
    expect(await stepRow(stepId)).toMatchObject({ status: 'succeeded', attempt: 1, fence: 3, losses: 1, output: { by: 'B' } });

    // A wakes up and completes with fence 1: refused, nothing changes.
    wake();
    await a;
    expect(await stepRow(stepId)).toMatchObject({ status: 'succeeded', fence: 3, output: { by: 'B' }, error: null });
    const { rows } = await p.db.pool.query(`SELECT count(*)::int AS n FROM run_steps WHERE id = $1 OR (node_id = 'call' AND attempt > 1 AND run_id = (SELECT run_id FROM run_steps WHERE id = $1))`, [stepId]);
    expect(rows[0]!.n).toBe(1);
  });

  it('fails as a poison step with worker_lost on its 4th loss, without consuming retry attempts, and is not delivered again', async () => {
    const { stepId } = await queuedStep();
    const dead = new AbortController();
    const hang = (signal: AbortSignal) => new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true }));
    const workers: Promise<void>[] = [];
    for (let loss = 1; loss <= 4; loss++) {
      // Each delivery is claimed by a worker that then dies (never renews, never completes).
      workers.push(executeStep(executor(hang), stepId, dead.signal));
      await until(async () => (await stepRow(stepId)).status === 'running');
      const recovered = await leaseRunsOut(stepId);
      if (loss <= 3) {
        expect(recovered).toEqual({ requeued: 1, failed: 0 });
        expect(await stepRow(stepId)).toMatchObject({ status: 'queued', attempt: 1, losses: loss });
      } else {
        expect(recovered).toEqual({ requeued: 0, failed: 1 });
      }
    }
    const row = await stepRow(stepId);
    expect(row).toMatchObject({ status: 'failed', attempt: 1, losses: 4, error: { code: 'worker_lost', retryable: false } });
    expect(row.error!.message).toContain('lost 4 times');
    // The orchestrator is told (settled job, from the outbox), and nothing re-delivers the step.
    expect(await jobIdsOf('orchestrator')).toContain(`settled.${stepId}.failed`);
    expect(await recoverLostSteps(p.db.pool, p.queues, { graceMs: 0, maxLosses: 3 }, logger)).toEqual({ requeued: 0, failed: 0 });

    // The dead workers' completions (aborted now) are all fenced out.
    dead.abort(new Error('gone'));
    await Promise.all(workers);
    expect(await stepRow(stepId)).toMatchObject({ status: 'failed', losses: 4, error: { code: 'worker_lost' } });
  });

  it('never re-queues a step that runs longer than its lease while its worker is alive (the timer renews it)', async () => {
    const { stepId } = await queuedStep();
    const res = executor(() => new Promise((r) => setTimeout(() => r({ done: true }), 7000)));
    res.leases = new StepLeases(p.db.pool, 3000, logger).start();
    const run = executeStep(res, stepId);
    await until(async () => (await stepRow(stepId)).status === 'running');
    // The sweeper looks again and again while the 7 s step outlives its 3 s lease twice over.
    let requeued = 0;
    for (let done = false; !done; ) {
      requeued += (await recoverLostSteps(p.db.pool, p.queues, { graceMs: 0, maxLosses: 3 }, logger)).requeued;
      done = (await stepRow(stepId)).status !== 'running';
      await new Promise((r) => setTimeout(r, 200));
    }
    await run;
    res.leases.stop();
    expect(requeued).toBe(0);
    expect(await stepRow(stepId)).toMatchObject({ status: 'succeeded', fence: 1, losses: 0, output: { done: true } });
  }, 30_000);

  it('keeps a long step’s lease renewed by its live worker, and aborts the local attempt once the lease was taken over', async () => {
    const { stepId } = await queuedStep();
    const res = executor((signal) => new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true })));
    const run = executeStep(res, stepId);
    await until(async () => (await stepRow(stepId)).status === 'running');
    const leaseOf = async () => (await p.db.pool.query<{ lease: Date }>(`SELECT lease_expires_at AS lease FROM run_steps WHERE id = $1`, [stepId])).rows[0]!.lease;
    await p.db.pool.query(`UPDATE run_steps SET lease_expires_at = now() + interval '1 second' WHERE id = $1`, [stepId]);
    const before = await leaseOf();
    await res.leases.renewDue(true);
    expect((await leaseOf()).getTime()).toBeGreaterThan(before.getTime() + 30_000);

    // Taken over (re-queued while this worker could not renew): the next renewal aborts the attempt.
    await leaseRunsOut(stepId);
    await res.leases.renewDue(true);
    await run;
    expect(await stepRow(stepId)).toMatchObject({ status: 'queued', fence: 2, losses: 1 });
  });

  it('lets the same worker claim its lost step again: the earlier attempt is aborted, and its late end keeps the new attempt’s lease', async () => {
    const { stepId } = await queuedStep();
    const attempts: { signal: AbortSignal; finish: (v: unknown) => void }[] = [];
    // One process: it stalls past its lease, then takes the re-queued delivery itself.
    const res = executor(
      (signal) =>
        new Promise((finish, reject) => {
          attempts.push({ signal, finish });
          signal.addEventListener('abort', () => reject(signal.reason), { once: true });
        }),
    );
    const first = executeStep(res, stepId);
    await until(async () => attempts.length === 1);
    await leaseRunsOut(stepId);
    const second = executeStep(res, stepId);
    await until(async () => attempts.length === 2);
    expect(await stepRow(stepId)).toMatchObject({ status: 'running', fence: 3 });

    // The earlier attempt lost the step: holding the newer fence aborted it.
    expect(attempts[0]!.signal.aborted).toBe(true);
    expect(attempts[1]!.signal.aborted).toBe(false);
    attempts[0]!.finish({ by: 'first' });
    await first;
    // Its end let go of its own lease only: the new attempt is still held and renewed.
    expect(res.leases.steps()).toEqual([{ id: stepId, fence: 3 }]);
    await p.db.pool.query(`UPDATE run_steps SET lease_expires_at = now() + interval '1 second' WHERE id = $1`, [stepId]);
    await res.leases.renewDue(true);
    const { rows } = await p.db.pool.query<{ left: number }>(`SELECT extract(epoch FROM lease_expires_at - now())::float AS left FROM run_steps WHERE id = $1`, [stepId]);
    expect(rows[0]!.left).toBeGreaterThan(30);

    attempts[1]!.finish({ by: 'second' });
    await second;
    expect(await stepRow(stepId)).toMatchObject({ status: 'succeeded', fence: 3, losses: 1, output: { by: 'second' } });
    expect(res.leases.steps()).toEqual([]);
  });

  it('keeps a newer claim when an older fence of the same step is held again or dropped', () => {
    const leases = new StepLeases(p.db.pool, 60_000, logger);
    const aborted: string[] = [];
    leases.hold('s', 2, () => aborted.push('fence 2'));
    leases.hold('s', 3, () => aborted.push('fence 3'));
    expect(aborted).toEqual(['fence 2']);
    leases.drop('s', 2);
    expect(leases.steps()).toEqual([{ id: 's', fence: 3 }]);
    leases.drop('s', 3);
    expect(leases.steps()).toEqual([]);
  });
});

describe('Releasing running steps at shutdown', () => {
  it('gives back only a step still running under the fence this executor claimed it with', async () => {
    const { stepId } = await queuedStep();
    const dead = new AbortController();
    const hang = (signal: AbortSignal) => new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true }));
    // A claims (fence 1) and stalls; its step is re-queued (fence 2) and B claims it (fence 3).
    const a = executeStep(executor(hang), stepId, dead.signal);
    await until(async () => (await stepRow(stepId)).status === 'running');
    await leaseRunsOut(stepId);
    const b = executeStep(executor(hang), stepId, dead.signal);
    await until(async () => (await stepRow(stepId)).fence === 3);

    // A shuts down with the fence it claimed with: B's step stays B's.
    expect(await releaseSteps(p.db.pool, p.queues, [{ id: stepId, fence: 1 }], logger)).toEqual([]);
    expect(await stepRow(stepId)).toMatchObject({ status: 'running', fence: 3 });
    expect(await jobIdsOf('executor')).not.toContain(`step.${stepId}.4`);

    // B shutting down gives it back.
    expect(await releaseSteps(p.db.pool, p.queues, [{ id: stepId, fence: 3 }], logger)).toEqual([stepId]);
    expect(await stepRow(stepId)).toMatchObject({ status: 'queued', fence: 4 });
    expect(await jobIdsOf('executor')).toContain(`step.${stepId}.4`);

    dead.abort(new Error('gone'));
    await Promise.all([a, b]);
  });
});
