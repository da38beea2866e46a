import { createDb, newId } from '@weft/db';
import { jobFor } from '@weft/queue';
import { describe, expect, it } from 'vitest';
import { outboxJobIds, seedRun, seedStep, useSeededDatabase } from '../../test/seed';
import { stepPage } from '../views';
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

/**
 * An iteration's end as the executor writes it: succeeded, guarded by its sequence, handing its
 * slot to the next item; with `parent`, its parent's wake-up among its jobs, as `decide` writes it.
 */
function end(runId: string, successorOf: string | undefined, guardSeq = 0, parent?: string): TransitionWrite {
  return {
    runId, orgId: t.wf.orgId, state: { nodes: {} } as never, lastSeq: guardSeq + 1, status: 'succeeded', timeoutMs: null,
    completion: { output: 1, error: null }, events: [{ id: newId(), seq: guardSeq + 1, type: 'run.succeeded', nodeId: null, stepId: null, data: {} }],
    steps: [], jobs: parent ? [jobFor.childSettled(parent, runId, guardSeq + 1)] : [], guardSeq, applied: [], ...(successorOf ? { successorOf } : {}),
  };
}

const wakeUpOf = (runId: string, seq = 1) => `child.${runId}.${seq}`;

describe('an iteration that ends hands its slot to the next pending item (successorOf)', () => {
  it('starts the next pending iteration in item order in the same statement, and returns its item', async () => {
    const { stepId, ids } = await loop(4);
    await t.pool.query(`UPDATE runs SET status = 'running' WHERE id = ANY($1::uuid[])`, [ids.slice(0, 2)]);
    const [written] = await writeTransitionsWithSuccessors(t.pool, [end(ids[0]!, stepId)]);
    expect(written!.outboxIds).toEqual([]);
    expect(written!.jobs).toEqual([]);
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
    expect(written).toEqual({ outboxIds: null, jobs: [], successors: [] });
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

  it("leaves out the parent's wake-up of an end that started a successor, and keeps it for an end that found no pending item", async () => {
    const { parent, stepId, ids } = await loop(2);
    await t.pool.query(`UPDATE runs SET status = 'running' WHERE id = ANY($1::uuid[])`, [ids]);
    const [handedOn] = await writeTransitionsWithSuccessors(t.pool, [end(ids[0]!, stepId, 0, parent)]);
    expect(handedOn!.successors).toEqual([]); // none pending: the loop's last end wakes the parent
    expect(handedOn!.jobs.map((j) => j.jobId)).toEqual([wakeUpOf(ids[0]!)]);
    expect(await outboxJobIds(t.pool)).toContain(wakeUpOf(ids[0]!));

    const next = await loop(3);
    await t.pool.query(`UPDATE runs SET status = 'running' WHERE id = $1`, [next.ids[0]]);
    const [started] = await writeTransitionsWithSuccessors(t.pool, [end(next.ids[0]!, next.stepId, 0, next.parent)]);
    expect(started!.successors.map((s) => s.id)).toEqual([next.ids[1]]);
    expect(started).toMatchObject({ outboxIds: [], jobs: [] });
    expect(await outboxJobIds(t.pool)).not.toContain(wakeUpOf(next.ids[0]!));
  });

  it('keeps every wake-up of a loop when a batch asked for more successors than it started (a slot stays free for the parent to fill)', async () => {
    const { parent, stepId, ids } = await loop(3);
    await t.pool.query(`UPDATE runs SET status = 'running' WHERE id = ANY($1::uuid[])`, [ids.slice(0, 2)]);
    const written = await writeTransitionsWithSuccessors(t.pool, [end(ids[0]!, stepId, 0, parent), end(ids[1]!, stepId, 0, parent)]);
    expect(written.flatMap((w) => w.successors.map((s) => s.id))).toEqual([ids[2]]);
    expect(written.flatMap((w) => w.jobs.map((j) => j.jobId))).toEqual([wakeUpOf(ids[0]!), wakeUpOf(ids[1]!)]);
    expect(written.every((w) => w.outboxIds!.length === 1)).toBe(true);
    expect(await outboxJobIds(t.pool)).toEqual(expect.arrayContaining([wakeUpOf(ids[0]!), wakeUpOf(ids[1]!)]));
  });

  it("shows a running loop's items as counted now, not as its parent last stored them (the parent is not woken by ends that hand on)", async () => {
    const { parent, stepId, ids } = await loop(4);
    await t.pool.query(`UPDATE runs SET status = 'running' WHERE id = ANY($1::uuid[])`, [ids.slice(0, 2)]);
    await t.pool.query(`UPDATE run_steps SET items_started = 2 WHERE id = $1`, [stepId]);
    await writeTransitionsWithSuccessors(t.pool, [end(ids[0]!, stepId, 0, parent)]);
    await t.pool.query(`UPDATE runs SET status = 'failed' WHERE id = $1`, [ids[1]]);
    const db = createDb({ url: t.pool.options.connectionString! });
    try {
      const page = await stepPage(db, t.wf.orgId, parent, { limit: 10 });
      expect(page!.items.find((s) => s.id === stepId)).toMatchObject({ itemsTotal: 4, itemsStarted: 3, itemsDone: 2, itemsFailed: 1 });
      expect((await t.pool.query('SELECT items_started, items_done FROM run_steps WHERE id = $1', [stepId])).rows[0]).toEqual({ items_started: 2, items_done: 0 });
    } finally {
      await db.close();
    }
  });
});
