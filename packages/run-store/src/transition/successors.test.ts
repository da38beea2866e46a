import { newId } from '@weft/db';
import { describe, expect, it } from 'vitest';
import { seedRun, seedStep, useSeededDatabase } from '../../test/seed';
import { withTx } from '../sql';
import { lockRunningLoops } from './loops';
import { writeTransitionsWithSuccessors, type TransitionWrite } from './write-transition';

const t = useSeededDatabase({ start: 'trigger', each: 'for_each' });

/** A parent run with a running loop step over `n` items, its iterations inserted `pending` (item order = index). */
async function loop(n: number) {
  const parent = await seedRun(t.pool, t.wf, 'running');
  const stepId = await seedStep(t.pool, t.wf, parent, 'each', 'running', { items_total: String(n) });
  await t.pool.query(`UPDATE run_steps SET node_type = 'for_each' WHERE id = $1`, [stepId]);
  await t.pool.query(
    `INSERT INTO runs (id, org_id, workflow_id, workflow_version_id, status, inputs, parent_run_id, parent_step_id, kind, item_index, body_path)
     SELECT weft_uuidv7(), $1, $2, $3, 'pending', jsonb_build_object('item', i), $4, $5, 'iteration', i, 'each' FROM generate_series(0, $6 - 1) i`,
    [t.wf.orgId, t.wf.workflowId, t.wf.versionId, parent, stepId, n],
  );
  const ids = (await t.pool.query<{ id: string }>('SELECT id FROM runs WHERE parent_step_id = $1 ORDER BY item_index', [stepId])).rows.map((r) => r.id);
  return { parent, stepId, ids };
}

const statuses = async (stepId: string) => (await t.pool.query<{ status: string }>('SELECT status FROM runs WHERE parent_step_id = $1 ORDER BY item_index', [stepId])).rows.map((r) => r.status);

/** An iteration's end as the executor writes it: succeeded, guarded by its sequence, handing its slot to the next item. */
function end(runId: string, successorOf: string | undefined, guardSeq = 0): TransitionWrite {
  return {
    runId, orgId: t.wf.orgId, state: { nodes: {} } as never, lastSeq: guardSeq + 1, status: 'succeeded', timeoutMs: null,
    completion: { output: 1, error: null }, events: [{ id: newId(), seq: guardSeq + 1, type: 'run.succeeded', nodeId: null, stepId: null, data: {} }],
    steps: [], jobs: [], guardSeq, applied: [], ...(successorOf ? { successorOf } : {}),
  };
}

describe('an iteration that ends hands its slot to the next pending item (successorOf)', () => {
  it('starts the next pending iteration in item order in the same statement, and returns its item', async () => {
    const { stepId, ids } = await loop(4);
    await t.pool.query(`UPDATE runs SET status = 'running' WHERE id = ANY($1::uuid[])`, [ids.slice(0, 2)]);
    const [written] = await writeTransitionsWithSuccessors(t.pool, [end(ids[0]!, stepId)]);
    expect(written!.outboxIds).toEqual([]);
    expect(written!.successors).toEqual([{ id: ids[2], inputs: { item: 2 }, last_seq: 0, parent_step_id: stepId }]);
    expect(await statuses(stepId)).toEqual(['succeeded', 'running', 'queued', 'pending']);
  });

  it('gives each write of a batch its own successor, and none past the last item', async () => {
    const { stepId, ids } = await loop(3);
    await t.pool.query(`UPDATE runs SET status = 'running' WHERE id = ANY($1::uuid[])`, [ids.slice(0, 2)]);
    const written = await writeTransitionsWithSuccessors(t.pool, [end(ids[0]!, stepId), end(ids[1]!, stepId)]);
    expect(written.map((w) => w.successors.map((s) => s.id))).toEqual([[ids[2]], []]);
    expect(await statuses(stepId)).toEqual(['succeeded', 'succeeded', 'queued']);
  });

  it('starts nothing when its guard refuses the write (another writer moved the run on)', async () => {
    const { stepId, ids } = await loop(2);
    await t.pool.query(`UPDATE runs SET status = 'running', last_seq = 3 WHERE id = $1`, [ids[0]]);
    const [written] = await writeTransitionsWithSuccessors(t.pool, [end(ids[0]!, stepId, 2)]);
    expect(written).toEqual({ outboxIds: null, successors: [] });
    expect(await statuses(stepId)).toEqual(['running', 'pending']);
  });

  it('skips an item another transaction holds (the parent starting or cancelling it) instead of waiting for it', async () => {
    const { stepId, ids } = await loop(3);
    await t.pool.query(`UPDATE runs SET status = 'running' WHERE id = $1`, [ids[0]]);
    await withTx(t.pool, async (held) => {
      await held.query(`SELECT id FROM runs WHERE id = $1 FOR UPDATE`, [ids[1]]);
      const [written] = await writeTransitionsWithSuccessors(t.pool, [end(ids[0]!, stepId)]);
      expect(written!.successors.map((s) => s.id)).toEqual([ids[2]]);
    });
    expect(await statuses(stepId)).toEqual(['succeeded', 'pending', 'queued']);
  });

  it('lets the parent count the item done and its successor started although it started that successor itself', async () => {
    const { parent, stepId, ids } = await loop(3);
    await t.pool.query(`UPDATE runs SET status = 'running' WHERE id = $1`, [ids[0]]);
    await t.pool.query(`UPDATE run_steps SET items_started = 1 WHERE id = $1`, [stepId]);
    await writeTransitionsWithSuccessors(t.pool, [end(ids[0]!, stepId)]);
    const [counted] = await withTx(t.pool, (c) => lockRunningLoops(c, parent, ['for_each']));
    expect(counted).toMatchObject({ id: stepId, items_total: 3, items_started: 2, items_done: 1, items_failed: 0 });
    const stored = await t.pool.query('SELECT items_started, items_done, items_failed FROM run_steps WHERE id = $1', [stepId]);
    expect(stored.rows[0]).toEqual({ items_started: 2, items_done: 1, items_failed: 0 });
  });
});
