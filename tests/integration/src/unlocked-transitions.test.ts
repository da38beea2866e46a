import { createLogger } from '@weft/logger';
import { advanceRun, type OrchestratorResources } from '@weft/orchestrator';
import { GraphCache } from '@weft/run-store';
import type { WorkflowDefinition } from '@weft/workflow-schema';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatform, type Platform } from './platform';

// The gateway alone: the test drives the orchestrator's transitions itself, several at once.
let p: Platform;
let res: OrchestratorResources;
beforeAll(async () => {
  p = await startPlatform({ workers: false });
  res = { pool: p.db.pool, queues: p.queues, graphs: new GraphCache(p.db.pool), logger: createLogger({ service: 'test', level: 'silent' }), inlinePureSteps: true };
});
afterAll(async () => {
  await p?.stop();
});

const trigger = { id: 't', type: 'trigger', config: {} } as const;
async function publish(name: string, definition: WorkflowDefinition) {
  const wf = await p.client.createWorkflow({ name, definition });
  await p.client.publishVersion(wf.id);
  return wf.id;
}

/** Fewer than the pool's 20 connections: the lock holder and the racers must all get one. */
const RACERS = 10;

/** Statements of this database waiting for a lock (on the run's row, here), asked on a connection of its own. */
async function blockedOn() {
  const c = new pg.Client({ connectionString: p.databaseUrl });
  await c.connect();
  try {
    const { rows } = await c.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`);
    return rows[0]!.n;
  } finally {
    await c.end();
  }
}

async function until(check: () => Promise<boolean>, timeoutMs = 10_000) {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out waiting for the transitions to block on the run lock');
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function history(runId: string) {
  const { rows } = await p.db.pool.query<{ seq: number; type: string; node_id: string | null }>('SELECT seq, type, node_id FROM run_events WHERE run_id = $1 ORDER BY seq', [runId]);
  return rows;
}

async function stepRows(runId: string) {
  const { rows } = await p.db.pool.query<{ node_id: string; attempt: number; status: string }>('SELECT node_id, attempt, status FROM run_steps WHERE run_id = $1 ORDER BY node_id', [runId]);
  return rows;
}

describe('Starting a run without the row lock (its start job)', () => {
  it('applies exactly one start when ten unlocked and locked transitions race for the same new run', async () => {
    const workflowId = await publish('race', {
      nodes: [trigger, { id: 'a', type: 'transform', config: { expression: '`1`' } }, { id: 'b', type: 'transform', config: { expression: 'steps.a.output' } }],
      edges: [{ source: 't', target: 'a' }, { source: 'a', target: 'b' }],
      settings: { output: 'steps.b.output' },
    });
    const { runId } = await p.client.createRun({ workflowId, inputs: {} });
    // Hold the run's row lock: every unlocked start reads the unstarted run and decides, then its
    // write waits here, as do the locked transitions; released, they all go at once.
    const holder = await p.db.pool.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT 1 FROM runs WHERE id = $1 FOR UPDATE', [runId]);
      const racing = Promise.all(Array.from({ length: RACERS }, (_, i) => advanceRun(res, runId, { unlocked: i % 2 === 0 })));
      // Every locked transition waits on the row; the unlocked starts go as batches (the first
      // one's write waits on the row, the rest of them queue behind it in the batcher).
      await until(async () => (await blockedOn()) >= RACERS / 2 + 1);
      await holder.query('COMMIT');
      await racing;
    } finally {
      holder.release();
    }

    const run = await p.client.getRun(runId);
    expect(run.status).toBe('succeeded');
    expect(run.output).toBe(1);
    const events = await history(runId);
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1)); // gap-free, no seq twice
    expect(events.filter((e) => e.type === 'run.started')).toHaveLength(1);
    expect(events.filter((e) => e.type === 'run.succeeded')).toHaveLength(1);
    expect(await stepRows(runId)).toEqual([
      { node_id: 'a', attempt: 1, status: 'succeeded' },
      { node_id: 'b', attempt: 1, status: 'succeeded' },
      { node_id: 't', attempt: 1, status: 'succeeded' },
    ]);
  });

  it('starts thirty-three runs at once (batched as they arrive), each exactly as alone, while those that need the lock take it', async () => {
    const pure = await publish('batch-pure', {
      nodes: [{ id: 't', type: 'trigger', config: { inputSchema: { type: 'object', properties: { n: { type: 'integer' } } } } }, { id: 'shape', type: 'transform', config: { expression: '{ n: input.n }' } }],
      edges: [{ source: 't', target: 'shape' }],
      settings: { output: 'steps.shape.output.n' },
    });
    const delayed = await publish('batch-delay', {
      nodes: [trigger, { id: 'wait', type: 'delay', config: { durationMs: 60_000 } }],
      edges: [{ source: 't', target: 'wait' }],
    });
    const pureRuns = await Promise.all(Array.from({ length: 30 }, (_, n) => p.client.createRun({ workflowId: pure, inputs: { n } }).then((r) => ({ n, runId: r.runId }))));
    const delayRuns = await Promise.all(Array.from({ length: 3 }, () => p.client.createRun({ workflowId: delayed, inputs: {} })));
    const all = [...pureRuns.map((r) => r.runId), ...delayRuns.map((r) => r.runId)].sort(() => Math.random() - 0.5);
    await Promise.all(all.map((runId) => advanceRun(res, runId, { unlocked: true })));

    for (const { n, runId } of pureRuns) {
      const run = await p.client.getRun(runId);
      expect([run.status, run.output]).toEqual(['succeeded', n]);
      expect((await history(runId)).map((e) => e.type)).toEqual(['run.created', 'run.started', 'step.dispatched', 'step.succeeded', 'step.dispatched', 'step.succeeded', 'run.succeeded']);
    }
    for (const { runId } of delayRuns) {
      expect((await p.client.getRun(runId)).status).toBe('waiting');
      expect((await history(runId)).map((e) => e.type)).toEqual(['run.created', 'run.started', 'step.dispatched', 'step.succeeded', 'timer.started']);
    }
  });

  it('falls back to the locked transition, having written nothing, when the start needs statements of its own (a delay)', async () => {
    const workflowId = await publish('delay', {
      nodes: [trigger, { id: 'wait', type: 'delay', config: { durationMs: 60_000 } }, { id: 'after', type: 'transform', config: { expression: "'late'" } }],
      edges: [{ source: 't', target: 'wait' }, { source: 'wait', target: 'after' }],
    });
    const { runId } = await p.client.createRun({ workflowId, inputs: {} });
    await advanceRun(res, runId, { unlocked: true });

    expect((await p.client.getRun(runId)).status).toBe('waiting');
    expect((await history(runId)).map((e) => e.type)).toEqual(['run.created', 'run.started', 'step.dispatched', 'step.succeeded', 'timer.started']);
    expect(await stepRows(runId)).toEqual([
      { node_id: 't', attempt: 1, status: 'succeeded' },
      { node_id: 'wait', attempt: 1, status: 'waiting' },
    ]);
  });

  it('leaves a run whose cancel came before its start to the locked transition, which cancels it', async () => {
    const workflowId = await publish('cancel-first', { nodes: [trigger, { id: 'x', type: 'transform', config: { expression: "'ran'" } }], edges: [{ source: 't', target: 'x' }] });
    const { runId } = await p.client.createRun({ workflowId, inputs: {} });
    await p.client.cancelRun(runId);
    await advanceRun(res, runId, { unlocked: true });

    expect((await p.client.getRun(runId)).status).toBe('cancelled');
    expect((await stepRows(runId)).filter((s) => s.node_id === 'x')).toEqual([]);
  });
});

/** The pool as `res` sees it, recording the text of every statement sent through it or its clients. */
function recording(pool: pg.Pool) {
  const statements: string[] = [];
  const record = (q: unknown) => statements.push(typeof q === 'string' ? q : (q as { text: string }).text);
  const spy = <T extends object>(target: T, wrap: Partial<Record<keyof T, unknown>>) =>
    new Proxy(target, {
      get: (t, prop, receiver) => {
        if (prop in wrap) return wrap[prop as keyof T];
        const v = Reflect.get(t, prop, receiver) as unknown;
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(t) : v;
      },
    });
  const query = (target: { query: (...a: never[]) => unknown }) => (q: unknown, ...rest: unknown[]) => {
    record(q);
    return (target.query as (...a: unknown[]) => unknown)(q, ...rest);
  };
  const proxied = spy(pool, {
    connect: async () => {
      const client = await pool.connect();
      return spy(client, { query: query(client) });
    },
    query: query(pool),
  });
  return { pool: proxied, statements };
}

/** What an executor's completion writes (fenced write aside): the step succeeded with this output. */
async function settle(runId: string, nodeId: string, output: unknown) {
  const { rowCount } = await p.db.pool.query(
    `UPDATE run_steps SET status = 'succeeded', output = $3, finished_at = clock_timestamp() WHERE run_id = $1 AND node_id = $2 AND status = 'queued'`,
    [runId, nodeId, JSON.stringify(output)],
  );
  expect(rowCount).toBe(1);
}

describe("Advancing a started run without the row lock (a settled step's job)", () => {
  // Every step through the executor (none runs here): the test settles steps as an executor would.
  const queued = () => ({ ...res, inlinePureSteps: false });
  const chain = {
    nodes: [trigger, { id: 'a', type: 'transform', config: { expression: '`1`' } }, { id: 'b', type: 'transform', config: { expression: '`2`' } }],
    edges: [{ source: 't', target: 'a' }, { source: 'a', target: 'b' }],
  } satisfies WorkflowDefinition;

  it('applies a settled step in one read and one write, with no transaction or row lock, and marks it applied', async () => {
    const workflowId = await publish('settled-unlocked', chain);
    const { runId } = await p.client.createRun({ workflowId, inputs: {} });
    await advanceRun(queued(), runId, { unlocked: true });
    await settle(runId, 't', {});

    const spied = recording(p.db.pool);
    await advanceRun({ ...queued(), pool: spied.pool as unknown as pg.Pool }, runId, { unlocked: true });
    const own = spied.statements.filter((s) => !s.startsWith('DELETE FROM outbox'));
    expect(own).toHaveLength(2);
    // The write's one `FOR UPDATE SKIP LOCKED` picks a finished loop iteration's successor among the
    // pending item runs (none here: it locks nothing); the run itself is never locked.
    expect(own.join('\n')).not.toMatch(/FOR UPDATE(?! SKIP LOCKED)|BEGIN/);

    expect((await history(runId)).map((e) => e.type)).toEqual(['run.created', 'run.started', 'step.dispatched', 'step.succeeded', 'step.dispatched']);
    expect(await stepRows(runId)).toEqual([
      { node_id: 'a', attempt: 1, status: 'queued' },
      { node_id: 't', attempt: 1, status: 'succeeded' },
    ]);
    const { rows: unapplied } = await p.db.pool.query('SELECT id FROM run_steps WHERE run_id = $1 AND applied = false AND status = $2', [runId, 'succeeded']);
    expect(unapplied).toEqual([]);

    // The same job again (a redelivery): nothing new.
    await advanceRun(queued(), runId, { unlocked: true });
    expect(await history(runId)).toHaveLength(5);

    await settle(runId, 'a', 1);
    await advanceRun(queued(), runId, { unlocked: true });
    await settle(runId, 'b', 2);
    await advanceRun(queued(), runId, { unlocked: true });
    expect((await p.client.getRun(runId)).status).toBe('succeeded');
    const events = await history(runId);
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
  });

  it('refuses its write whole when the run changed after the read, and the locked transition applies the step after that change', async () => {
    const workflowId = await publish('settled-stale', chain);
    const { runId } = await p.client.createRun({ workflowId, inputs: {} });
    await advanceRun(queued(), runId, { unlocked: true });
    await settle(runId, 't', {});
    const before = (await history(runId)).length;

    // Another writer holds the run and moves it on (here: an event far ahead, so that no key
    // collides and only the sequence guard can tell): the unlocked read sees the run before it.
    const holder = await p.db.pool.connect();
    let advancing: Promise<void>;
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT 1 FROM runs WHERE id = $1 FOR UPDATE', [runId]);
      advancing = advanceRun(queued(), runId, { unlocked: true });
      await until(async () => (await blockedOn()) >= 1);
      await holder.query(`INSERT INTO run_events (id, org_id, run_id, seq, type, data) SELECT gen_random_uuid(), org_id, id, last_seq + 100, 'test.marker', '{}' FROM runs WHERE id = $1`, [runId]);
      await holder.query('UPDATE runs SET last_seq = last_seq + 100 WHERE id = $1', [runId]);
      await holder.query('COMMIT');
    } finally {
      holder.release();
    }
    await advancing!;

    const events = await history(runId);
    const marker = events.findIndex((e) => e.type === 'test.marker');
    expect(marker).toBe(before);
    // Applied once, after the marker, by the locked transition that read the moved-on run.
    expect(events.slice(before).map((e) => e.type)).toEqual(['test.marker', 'step.succeeded', 'step.dispatched']);
    expect(events[before + 1]!.seq).toBe(events[before]!.seq + 1);
    const { rows: [run] } = await p.db.pool.query<{ last_seq: number }>('SELECT last_seq FROM runs WHERE id = $1', [runId]);
    expect(run!.last_seq).toBe(events.at(-1)!.seq);
    expect((await stepRows(runId)).filter((s) => s.node_id === 'a')).toEqual([{ node_id: 'a', attempt: 1, status: 'queued' }]);
  });
});

