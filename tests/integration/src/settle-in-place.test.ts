import { executeStep, StepLeases, type ExecutorResources, type Processors } from '@weft/executor';
import { createLogger } from '@weft/logger';
import { DEFAULT_ORCHESTRATOR_LIMITS, advanceRun, type OrchestratorResources } from '@weft/orchestrator';
import { GuardedWrites } from '@weft/run-core';
import { GraphCache } from '@weft/run-store';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startPlatform, type Platform } from './platform';

// The gateway alone: the test plays the orchestrator (advanceRun) and an executor (executeStep with
// its own processors), so it sees what one completion does where the step ran.
let p: Platform;
let chainId: string;
let caughtId: string;
const logger = createLogger({ service: 'test', level: process.env.TEST_LOG_LEVEL ?? 'silent' });

beforeAll(async () => {
  p = await startPlatform({ workers: false });
  const call = (id: string) => ({ id, type: 'http_request', config: { method: 'POST', url: 'http://127.0.0.1:9/never' } }) as const;
  const wf = await p.client.createWorkflow({
    name: 'settle-in-place',
    definition: {
      nodes: [{ id: 't', type: 'trigger', config: {} }, call('a'), { id: 'mid', type: 'transform', config: { expression: '{ n: steps.a.output.n }' } }, call('b'), call('c')],
      edges: [
        { source: 't', target: 'a' },
        { source: 'a', target: 'mid' },
        { source: 'mid', target: 'b' },
        { source: 'b', target: 'c' },
      ],
      settings: { output: 'steps.c.output' },
    },
  });
  await p.client.publishVersion(wf.id);
  chainId = wf.id;
  // a, then an inline transform that fails and is caught (continueOnFail: its error is its
  // output), then b, whose completion runs `after` inline from the outputs the run is known with.
  const caught = await p.client.createWorkflow({
    name: 'settle-in-place, caught inline failure',
    definition: {
      nodes: [
        { id: 't', type: 'trigger', config: {} },
        call('a'),
        { id: 'bad', type: 'transform', config: { expression: "abs('not a number')", continueOnFail: true } },
        call('b'),
        { id: 'after', type: 'transform', config: { expression: 'steps.bad.output.code' } },
      ],
      edges: [
        { source: 't', target: 'a' },
        { source: 'a', target: 'bad' },
        { source: 'bad', target: 'b' },
        { source: 'b', target: 'after' },
      ],
      settings: { output: 'steps.after.output' },
    },
  });
  await p.client.publishVersion(caught.id);
  caughtId = caught.id;
});
afterAll(async () => {
  await p?.stop();
});

const orchestrator = (): OrchestratorResources => ({ pool: p.db.pool, queues: p.queues, graphs: new GraphCache(p.db.pool), logger, inlinePureSteps: true });

/** An executor in this process: its http_request processor is `work`; it settles where steps run unless `settle` is false. */
function executor(work: (ids: { nodeId: string; runId: string }, signal: AbortSignal) => Promise<unknown>, opts: { settle?: boolean; graphs?: GraphCache; writes?: GuardedWrites; oneStatement?: boolean } = {}): ExecutorResources {
  const graphs = opts.graphs ?? new GraphCache(p.db.pool);
  return {
    pool: p.db.pool,
    queues: p.queues,
    logger,
    processors: { http_request: ({ ids, signal }) => work(ids, signal) } satisfies Partial<Processors> as Processors,
    graphs,
    running: new Map(),
    defaultTimeoutMs: 60_000,
    leases: new StepLeases(p.db.pool, 60_000, logger),
    ...(opts.settle === false ? {} : { settleInPlace: { pool: p.db.pool, graphs, logger, inlinePureSteps: true, limits: DEFAULT_ORCHESTRATOR_LIMITS, eager: true, ...(opts.writes ? { writes: opts.writes } : {}), ...(opts.oneStatement === false ? { oneStatement: false } : {}) } }),
  };
}

/** A run of the chain (or of `workflowId`) started by the orchestrator: its first step `a` queued. */
async function startedRun(workflowId = chainId): Promise<{ runId: string; firstStepId: string }> {
  const { runId } = await p.client.createRun({ workflowId, inputs: {} });
  await advanceRun(orchestrator(), runId, { unlocked: true });
  const { rows } = await p.db.pool.query<{ id: string }>(`SELECT id FROM run_steps WHERE run_id = $1 AND node_id = 'a' AND status = 'queued'`, [runId]);
  return { runId, firstStepId: rows[0]!.id };
}

const runOf = async (runId: string) =>
  (await p.db.pool.query<{ status: string; output: unknown; last_seq: number }>(`SELECT status, output, last_seq FROM runs WHERE id = $1`, [runId])).rows[0]!;
const stepsOf = async (runId: string) =>
  (await p.db.pool.query<{ node_id: string; status: string; applied: boolean; fence: number }>(`SELECT node_id, status, applied, fence FROM run_steps WHERE run_id = $1 ORDER BY id`, [runId])).rows;
const outboxJobs = async (runId: string) =>
  (await p.db.pool.query<{ job_id: string }>(`SELECT job_id FROM outbox WHERE payload->>'runId' = $1`, [runId])).rows.map((r) => r.job_id);
const waitingJobs = async () => {
  const ids: string[] = [];
  for (const q of ['orchestrator', 'executor'] as const) for (const j of await p.queues.queue(q).getJobs(['waiting', 'delayed', 'prioritized'])) ids.push(j.id ?? '');
  return ids;
};
const drainQueues = async () => {
  for (const q of ['orchestrator', 'executor'] as const) await p.queues.queue(q).drain(true);
};

/** The names of the prepared statements the executor sends through the pool from now on (a spy: every call still goes to Postgres). */
function statementNames(): string[] {
  const names: string[] = [];
  const query = p.db.pool.query.bind(p.db.pool);
  vi.spyOn(p.db.pool, 'query').mockImplementation(((config: unknown, ...rest: unknown[]) => {
    const name = (config as { name?: string } | null)?.name;
    if (name?.startsWith('weft_')) names.push(name);
    return (query as (...args: unknown[]) => unknown)(config, ...rest);
  }) as typeof p.db.pool.query);
  return names;
}
afterEach(() => vi.restoreAllMocks());

const stepIdOf = async (runId: string, nodeId: string) =>
  (await p.db.pool.query<{ id: string }>(`SELECT id FROM run_steps WHERE run_id = $1 AND node_id = $2 ORDER BY attempt DESC LIMIT 1`, [runId, nodeId])).rows[0]!.id;

describe('A step settled where it ran', () => {
  it('runs the whole chain from one delivery: each completion writes the run transition, and the next executor step is claimed by that write and run at once (no job, no orchestrator)', async () => {
    await drainQueues();
    const { runId, firstStepId } = await startedRun();
    await drainQueues(); // the first step's job: delivered here by hand
    let n = 0;
    const statements = statementNames();
    await executeStep(executor(async () => ({ n: ++n })), firstStepId);

    // One delivery ran a, the inline transform, b and c, and the run ended.
    const run = await runOf(runId);
    expect(run).toMatchObject({ status: 'succeeded', output: { n: 3 } });
    expect(n).toBe(3);
    const steps = await stepsOf(runId);
    expect(steps.map((s) => [s.node_id, s.status, s.applied])).toEqual([
      ['t', 'succeeded', true],
      ['a', 'succeeded', true],
      ['mid', 'succeeded', true],
      ['b', 'succeeded', true],
      ['c', 'succeeded', true],
    ]);
    // Claimed once each (b and c by the transition's write, fence 1), and nothing left for anyone:
    // no job published, no outbox row (the step-settled rows went with the writes).
    expect(steps.map((s) => s.fence)).toEqual([0, 1, 0, 1, 1]);
    expect(await waitingJobs()).toEqual([]);
    expect(await outboxJobs(runId)).toEqual([]);
    // a (claimed by its job) is completed with the run read, then the transition written; b and c,
    // claimed by this process's own writes, each in ONE statement: completion and transition.
    expect(statements.filter((s) => s !== 'weft_exec_renew_leases')).toEqual([
      'weft_exec_claim',
      'weft_exec_complete_read',
      'weft_orch_write_transitions',
      'weft_exec_complete_write',
      'weft_exec_complete_write',
    ]);
  });

  it('completes every step with the run read, then writes, when one-statement settling is off (WEFT_SETTLE_IN_ONE_STATEMENT=false)', async () => {
    await drainQueues();
    const { runId, firstStepId } = await startedRun();
    await drainQueues();
    const statements = statementNames();
    await executeStep(executor(async () => ({ n: 1 }), { oneStatement: false }), firstStepId);
    expect(await runOf(runId)).toMatchObject({ status: 'succeeded' });
    expect(statements.filter((s) => s !== 'weft_exec_renew_leases')).toEqual([
      'weft_exec_claim',
      ...['a', 'b', 'c'].flatMap(() => ['weft_exec_complete_read', 'weft_orch_write_transitions']),
    ]);
  });

  it('knows the output of an inline step whose failure was caught (its error) when it decides from the run as known', async () => {
    await drainQueues();
    const { runId, firstStepId } = await startedRun(caughtId);
    await drainQueues();
    const statements = statementNames();
    await executeStep(executor(async () => ({ n: 1 })), firstStepId);
    const { rows } = await p.db.pool.query<{ error: { code: string } }>(`SELECT error FROM run_steps WHERE run_id = $1 AND node_id = 'bad'`, [runId]);
    expect(rows[0]?.error.code).toEqual(expect.any(String));
    // `after` ran in b's one statement, from the outputs known since a's write: bad's is its error.
    expect(statements).toContain('weft_exec_complete_write');
    expect(await runOf(runId)).toMatchObject({ status: 'succeeded', output: rows[0]!.error.code });
  });

  it('completes the step the two-statement way when deciding in one statement throws: its result is kept', async () => {
    await drainQueues();
    const { runId, firstStepId } = await startedRun();
    await drainQueues();
    const graphs = new GraphCache(p.db.pool);
    const get = graphs.get.bind(graphs);
    let bRan = false;
    let thrown = 0;
    graphs.get = async (...args: Parameters<GraphCache['get']>) => {
      // The first graph load after b ran is the one-statement path's decision: it fails once.
      if (bRan && thrown === 0) {
        thrown++;
        throw new Error('graph store unavailable');
      }
      return get(...args);
    };
    const statements = statementNames();
    await executeStep(executor(async ({ nodeId }) => ((bRan ||= nodeId === 'b'), { n: 1 }), { graphs }), firstStepId);
    expect(thrown).toBe(1);
    expect(await runOf(runId)).toMatchObject({ status: 'succeeded', output: { n: 1 } });
    // b: completed with the run read, then the guarded write; c: one statement again.
    expect(statements.filter((s) => s !== 'weft_exec_renew_leases')).toEqual([
      'weft_exec_claim',
      'weft_exec_complete_read',
      'weft_orch_write_transitions',
      'weft_exec_complete_read',
      'weft_orch_write_transitions',
      'weft_exec_complete_write',
    ]);
  });

  it('decides again from what it read when the run moved while a step claimed by its own write ran, and goes on', async () => {
    await drainQueues();
    const { runId, firstStepId } = await startedRun();
    await drainQueues();
    const statements = statementNames();
    let moved = 0;
    await executeStep(
      executor(async ({ nodeId }) => {
        // Another writer moves the run on while b runs: the sequence b's write presumes is gone.
        if (nodeId === 'b') moved = (await p.db.pool.query(`UPDATE runs SET last_seq = last_seq + 1 WHERE id = $1`, [runId])).rowCount ?? 0;
        return { n: 1 };
      }),
      firstStepId,
    );
    expect(moved).toBe(1);
    expect(await runOf(runId)).toMatchObject({ status: 'succeeded', output: { n: 1 } });
    // b's one statement wrote its completion alone and read the run; the transition was decided
    // again from that read and written by the guarded write, which claimed c; c's own goes in one.
    expect(statements.filter((s) => s !== 'weft_exec_renew_leases')).toEqual([
      'weft_exec_claim',
      'weft_exec_complete_read',
      'weft_orch_write_transitions',
      'weft_exec_complete_write',
      'weft_orch_write_transitions',
      'weft_exec_complete_write',
    ]);
    expect((await stepsOf(runId)).every((s) => s.status === 'succeeded' && s.applied)).toBe(true);
    // b's step-settled row, written with its completion, went with the guarded write.
    expect(await outboxJobs(runId)).toEqual([]);
    expect(await waitingJobs()).toEqual([]);
  });

  it('writes nothing for a step claimed by its own write whose claim was lost while it ran (re-queued)', async () => {
    await drainQueues();
    const { runId, firstStepId } = await startedRun();
    await drainQueues();
    let before: { last_seq: number } | undefined;
    await executeStep(
      executor(async ({ nodeId }) => {
        if (nodeId === 'b') {
          // What the sweeper does to a step whose lease ended: queued again under a new fence.
          before = await runOf(runId);
          await p.db.pool.query(`UPDATE run_steps SET status = 'queued', fence = fence + 1 WHERE run_id = $1 AND node_id = 'b'`, [runId]);
        }
        return { n: 1 };
      }),
      firstStepId,
    );
    const steps = await stepsOf(runId);
    expect(steps.map((s) => [s.node_id, s.status])).toEqual([
      ['t', 'succeeded'],
      ['a', 'succeeded'],
      ['mid', 'succeeded'],
      ['b', 'queued'],
    ]);
    expect((await runOf(runId)).last_seq).toBe(before!.last_seq);
    const bId = await stepIdOf(runId, 'b');
    expect(await outboxJobs(runId)).not.toContain(`settled.${bId}.succeeded`);
    expect((await p.db.pool.query(`SELECT 1 FROM usage_events WHERE step_id = $1`, [bId])).rowCount).toBe(0);
  });

  it('rolls the whole statement back when the claim is lost between its guard and its completion (weft_assert): no transition without its completion', async () => {
    await drainQueues();
    const { runId, firstStepId } = await startedRun();
    await drainQueues();
    // While b runs, another transaction re-queues it and keeps its row locked: the statement's
    // snapshot still sees b held (the guard passes, the run row is written), then its completion
    // waits for the row and, once that transaction commits, finds the claim gone.
    // As the login role (the tables' owner, whom row-level security does not bind), on its own connection.
    const other = new pg.Client({ connectionString: p.databaseUrl });
    await other.connect();
    const probe = new pg.Client({ connectionString: p.databaseUrl });
    await probe.connect();
    let before: { last_seq: number } | undefined;
    try {
      const delivery = executeStep(
        executor(async ({ nodeId }) => {
          if (nodeId === 'b') {
            before = await runOf(runId);
            await other.query('BEGIN');
            await other.query(`UPDATE run_steps SET status = 'queued', fence = fence + 1 WHERE run_id = $1 AND node_id = 'b'`, [runId]);
          }
          return { n: 1 };
        }),
        firstStepId,
      );
      await vi.waitFor(
        async () => {
          // Asked as the login role: a session's query text shows only to its own role (or a superuser).
          // (The text shown is cut at track_activity_query_size: its beginning says which statement.)
          const { rowCount } = await probe.query(`SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'WITH input AS%'`);
          expect(rowCount).toBe(1);
        },
        { timeout: 10_000, interval: 20 },
      );
      await other.query('COMMIT');
      await delivery;
    } finally {
      await other.end();
      await probe.end();
    }
    expect((await runOf(runId)).last_seq).toBe(before!.last_seq);
    expect((await stepsOf(runId)).map((s) => [s.node_id, s.status, s.applied])).toEqual([
      ['t', 'succeeded', true],
      ['a', 'succeeded', true],
      ['mid', 'succeeded', true],
      ['b', 'queued', false],
    ]);
    expect((await p.db.pool.query(`SELECT 1 FROM usage_events WHERE step_id = $1`, [await stepIdOf(runId, 'b')])).rowCount).toBe(0);
  });

  it('writes a completion in one statement only while nothing else of the process is being written: meanwhile completions take the batched path', async () => {
    await drainQueues();
    const one = await startedRun();
    const two = await startedRun();
    await drainQueues();
    const writes = new GuardedWrites(p.db.pool);
    const statements = statementNames();
    // The first run's b ends while another transaction holds its run row: b's one statement waits.
    const holder = new pg.Client({ connectionString: p.databaseUrl });
    await holder.connect();
    let held!: () => void;
    const bHeld = new Promise<void>((r) => (held = r));
    try {
      const ex = executor(async ({ nodeId, runId }) => {
        if (runId === one.runId && nodeId === 'b') {
          await holder.query('BEGIN');
          await holder.query('SELECT 1 FROM runs WHERE id = $1 FOR UPDATE', [one.runId]);
          held();
        }
        return { n: 1 };
      }, { writes });
      const first = executeStep(ex, one.firstStepId);
      await bHeld;
      // Meanwhile the whole second run goes through: its b and c, claimed by its own writes, are
      // written the batched way (completion with the run read, then the guarded write).
      await executeStep(ex, two.firstStepId);
      expect(await runOf(two.runId)).toMatchObject({ status: 'succeeded' });
      expect((await runOf(one.runId)).status).not.toBe('succeeded');
      await holder.query('COMMIT');
      await first;
    } finally {
      await holder.end();
    }
    expect(await runOf(one.runId)).toMatchObject({ status: 'succeeded', output: { n: 1 } });
    const count = (name: string) => statements.filter((s) => s === name).length;
    // The first run's b and c in one statement each; both runs' a, and the second run's b and c, the batched way.
    expect(count('weft_exec_complete_write')).toBe(2);
    expect(count('weft_exec_complete_read')).toBe(4);
    expect(count('weft_orch_write_transitions')).toBe(4);
  });

  it('hands the step to the orchestrator by its step-settled job when another writer moved the run between the read and the guarded write', async () => {
    await drainQueues();
    const { runId, firstStepId } = await startedRun();
    await drainQueues();
    const before = await runOf(runId);
    // Another writer: the run's sequence moves on while the executor decides (the graph load is
    // the one await between its read and its write; the load before the step ran is the step's
    // own: one, its graph carrying the workflow's settings.pii).
    const graphs = new GraphCache(p.db.pool);
    const get = graphs.get.bind(graphs);
    let ran = false;
    let moved = false;
    let loadsBeforeRun = 0;
    graphs.get = async (...args: Parameters<GraphCache['get']>) => {
      if (!ran) loadsBeforeRun++;
      if (ran && !moved) {
        moved = true;
        await p.db.pool.query(`UPDATE runs SET last_seq = last_seq + 1 WHERE id = $1`, [runId]);
      }
      return get(...args);
    };
    await executeStep(executor(async () => ((ran = true), { n: 1 }), { graphs }), firstStepId);
    expect(moved).toBe(true);
    expect(loadsBeforeRun).toBe(1);

    // The completion is written, nothing of the transition: the step waits, unapplied, for the
    // orchestrator, and its step-settled job is on its way.
    expect((await runOf(runId)).last_seq).toBe(before.last_seq + 1);
    expect((await stepsOf(runId)).map((s) => [s.node_id, s.status, s.applied])).toEqual([
      ['t', 'succeeded', true],
      ['a', 'succeeded', false],
    ]);
    expect(await waitingJobs()).toEqual([`settled.${firstStepId}.succeeded`]);

    // The orchestrator's transition takes it from there.
    await advanceRun(orchestrator(), runId, { unlocked: true });
    expect((await stepsOf(runId)).map((s) => [s.node_id, s.status, s.applied])).toEqual([
      ['t', 'succeeded', true],
      ['a', 'succeeded', true],
      ['mid', 'succeeded', true],
      ['b', 'queued', false],
    ]);
  });

  it('a cancel reaches a step dispatched eagerly: its abort controller is registered, the cancel transition ends its row, and its late result changes nothing', async () => {
    await drainQueues();
    const { runId, firstStepId } = await startedRun();
    await drainQueues();
    let bStarted!: () => void;
    const bRunning = new Promise<void>((r) => (bStarted = r));
    const ex = executor(async ({ nodeId }, signal) => {
      if (nodeId !== 'b') return { n: 1 };
      bStarted();
      // Ends only when aborted (as a cancel notice does), then answers late anyway.
      await new Promise((r) => signal.addEventListener('abort', r, { once: true }));
      return { n: 2 };
    });
    const delivery = executeStep(ex, firstStepId);
    await bRunning;
    const [bId] = [...ex.running.keys()];
    const b = (await stepsOf(runId)).find((s) => s.node_id === 'b')!;
    expect(b).toMatchObject({ status: 'running', fence: 1 });

    await p.client.cancelRun(runId);
    await advanceRun(orchestrator(), runId);
    expect((await stepsOf(runId)).find((s) => s.node_id === 'b')?.status).toBe('cancelled');
    // What the executor's cancel subscription does with the transition's abortStepIds.
    ex.running.get(bId!)!.abort(new Error('cancelled'));
    await delivery;

    expect((await runOf(runId)).status).toBe('cancelled');
    expect((await stepsOf(runId)).map((s) => [s.node_id, s.status])).toEqual([
      ['t', 'succeeded'],
      ['a', 'succeeded'],
      ['mid', 'succeeded'],
      ['b', 'cancelled'],
    ]);
    expect(ex.running.size).toBe(0);
  });
});
