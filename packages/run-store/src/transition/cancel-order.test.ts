import type pg from 'pg';
import { describe, expect, it } from 'vitest';
import { seedRun, seedStep, useSeededDatabase } from '../../test/seed';
import { settleParentStep } from './children';
import { lockRun } from './read-run';
import { cancelNodesOfRun } from './run-control';

/*
 * A parent run and its sub_workflow child take their rows in one order: a run's rows before its
 * step rows, the parent's run before its child's. The two paths that meet: the child ending (its
 * locked transition holds its run row, then settles the parent's waiting sub_workflow step) and
 * the parent cancelled (its locked transition holds its run row, then cancels the node: the
 * child's run, then its own step). Each test forces one interleaving with two transactions and
 * waits (on Postgres' own view of who waits for a lock, not on time) until the second one waits.
 */
const t = useSeededDatabase({ start: 'trigger', sub: 'sub_workflow' });

/** A running parent whose sub_workflow step waits for its running child run. */
async function family() {
  const parent = await seedRun(t.pool, t.wf, 'running');
  const step = await seedStep(t.pool, t.wf, parent, 'sub', 'waiting');
  await t.pool.query(`UPDATE run_steps SET node_type = 'sub_workflow' WHERE id = $1`, [step]);
  const child = await seedRun(t.pool, t.wf, 'running');
  await t.pool.query(`UPDATE runs SET parent_run_id = $2, parent_step_id = $3, trigger_type = 'sub_workflow' WHERE id = $1`, [child, parent, step]);
  return { parent, step, child };
}

/** A connection in an open transaction, with its backend's pid. */
async function begin(): Promise<{ c: pg.PoolClient; pid: number }> {
  const c = await t.pool.connect();
  await c.query('BEGIN');
  const { rows } = await c.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
  return { c, pid: rows[0]!.pid };
}

/** Resolves once the backend `pid` waits for a row lock (Postgres says so in pg_stat_activity). */
async function waitsForLock(pid: number): Promise<void> {
  for (;;) {
    const { rows } = await t.pool.query<{ waiting: boolean }>(`SELECT wait_event_type = 'Lock' AS waiting FROM pg_stat_activity WHERE pid = $1`, [pid]);
    if (rows[0]?.waiting) return;
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** The child's end as its locked transition writes it: its row locked, the parent's step settled, then its own end. */
async function childEnds(c: pg.PoolClient, child: string, step: string) {
  const settled = await settleParentStep(c, step, { status: 'succeeded', output: { ok: true }, error: null });
  await c.query(`UPDATE runs SET status = 'succeeded', finished_at = now() WHERE id = $1`, [child]);
  return settled;
}

async function finish(...txs: { c: pg.PoolClient }[]) {
  for (const { c } of txs) {
    await c.query('ROLLBACK').catch(() => undefined);
    c.release();
  }
}

const row = async (table: 'runs' | 'run_steps', id: string) =>
  (await t.pool.query<{ status: string; cancel_requested: boolean }>(`SELECT status, ${table === 'runs' ? 'cancel_requested_at IS NOT NULL' : 'false'} AS cancel_requested FROM ${table} WHERE id = $1`, [id])).rows[0]!;

describe('A parent and its sub_workflow child take their row locks in one order', () => {
  it('lets a child that ends while its parent is being cancelled finish, and the cancel then finds it ended', async () => {
    const { parent, step, child } = await family();
    const ending = await begin();
    const cancelling = await begin();
    try {
      expect(await lockRun(ending.c, child)).toBeDefined();
      const cancel = (async () => {
        await lockRun(cancelling.c, parent);
        const done = await cancelNodesOfRun(cancelling.c, parent, ['sub']);
        await cancelling.c.query('COMMIT');
        return done;
      })();
      await waitsForLock(cancelling.pid);
      // The parent's cancel waits for the child's row while holding none of the child's path: the child settles its parent's step.
      expect(await childEnds(ending.c, child, step)).toBe(parent);
      await ending.c.query('COMMIT');
      expect(await cancel).toEqual({ steps: [], cancelRequested: [] });
    } finally {
      await finish(ending, cancelling);
    }
    expect(await row('run_steps', step)).toMatchObject({ status: 'succeeded' });
    expect(await row('runs', child)).toMatchObject({ status: 'succeeded', cancel_requested: false });
  });

  it('lets a parent cancelled first finish its cancel, and the child that ends after it finds its parent step cancelled', async () => {
    const { parent, step, child } = await family();
    const cancelling = await begin();
    const ending = await begin();
    try {
      await lockRun(cancelling.c, parent);
      const cancelled = await cancelNodesOfRun(cancelling.c, parent, ['sub']);
      expect(cancelled).toEqual({ steps: [{ id: step, node_type: 'sub_workflow' }], cancelRequested: [child] });
      const end = (async () => {
        await lockRun(ending.c, child);
        const settled = await childEnds(ending.c, child, step);
        await ending.c.query('COMMIT');
        return settled;
      })();
      await waitsForLock(ending.pid);
      await cancelling.c.query('COMMIT');
      expect(await end).toBeUndefined(); // the step no longer waits: nothing of the parent's changed
    } finally {
      await finish(cancelling, ending);
    }
    expect(await row('run_steps', step)).toMatchObject({ status: 'cancelled' });
    expect(await row('runs', child)).toMatchObject({ status: 'succeeded', cancel_requested: true });
  });
});
