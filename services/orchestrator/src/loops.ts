import { LIMIT_SETTINGS } from '@weft/engine';
import { jobFor } from '@weft/queue';
import { rows } from '@weft/run-store';
import { insertSteps } from './step-rows';
import { cancelChildren } from './sub-workflow';
import type { Transition } from './transition-context';
import { sqlNameList } from '@weft/run-store';
import { configOf, typesOfKind } from '@weft/workflow-schema';

/**
 * for_each: one step row plus one iteration run per item, all inserted by ONE statement from the
 * items array (10,000 items = one INSERT … SELECT, no per-item round trip). Iterations wait as
 * `pending` and are started `concurrency` at a time; each finished iteration bumps the step's
 * counters, and the run's next transition starts more or settles the step.
 */
export async function startLoop(t: Transition, base: { nodeId: string; nodeType: string; attempt: number }, count: number, itemsJson: string, concurrency: number) {
  if (count === 0) {
    insertSteps(t, [{ ...base, status: 'succeeded', output: [], input: { count: 0, concurrency } }]);
    return;
  }
  const [stepId] = insertSteps(t, [{ ...base, status: 'running', itemsTotal: count, input: { count, concurrency } }]);
  const bodyPath = t.run.body_path ? `${t.run.body_path}/${base.nodeId}` : base.nodeId;
  await t.c.query(
    `INSERT INTO runs (id, org_id, workflow_id, workflow_version_id, status, inputs, parent_run_id, parent_step_id, kind, item_index, body_path)
     SELECT weft_uuidv7(), $1, $2, $3, 'pending', jsonb_build_object('item', e.value, 'index', e.ord - 1), $4, $5, 'iteration', e.ord - 1, $6
     FROM jsonb_array_elements($7::jsonb) WITH ORDINALITY AS e(value, ord)`,
    [t.run.org_id, t.run.workflow_id, t.run.workflow_version_id, t.run.id, stepId, bodyPath, itemsJson],
  );
  t.log.push('loop.started', { attempt: base.attempt, count, concurrency }, base.nodeId, stepId!);
  await startIterations(t, stepId!, concurrency);
}

/** Starts pending iterations up to the concurrency limit, in item order. */
async function startIterations(t: Transition, stepId: string, concurrency: number) {
  const [active] = await rows<{ n: number }>(
    t.c,
    `SELECT count(*)::int AS n FROM runs WHERE parent_step_id = $1 AND status IN ('queued', 'running', 'waiting')`,
    [stepId],
  );
  const room = concurrency - (active?.n ?? 0);
  if (room <= 0) return;
  const started = await rows<{ id: string }>(
    t.c,
    `UPDATE runs SET status = 'queued', updated_at = now() WHERE id IN (
       SELECT id FROM runs WHERE parent_step_id = $1 AND status = 'pending' ORDER BY item_index LIMIT $2 FOR UPDATE SKIP LOCKED)
     RETURNING id`,
    [stepId, room],
  );
  for (const { id } of started) t.jobs.push(jobFor.startRun(id));
}

interface LoopStep {
  id: string;
  node_id: string;
  items_total: number;
  items_done: number;
  items_failed: number;
}

const RUNNING_LOOPS = `SELECT id, node_id, items_total, items_done, items_failed FROM run_steps
     WHERE run_id = $1 AND node_type IN (${sqlNameList(typesOfKind('loop'))}) AND status = 'running' FOR UPDATE`;

/** Moves every running for_each of the run on: settle it (all done / an item failed) or start more. */
export async function progressLoops(t: Transition): Promise<void> {
  await t.flushSteps();
  const loops = await rows<LoopStep>(
    t.c,
    RUNNING_LOOPS,
    [t.run.id],
  );
  for (const loop of loops) {
    if (loop.items_failed > 0) {
      const [failed] = await rows<{ item_index: number; error: { message?: string } | null; id: string; status: string }>(
        t.c,
        `SELECT id, item_index, error, status FROM runs WHERE parent_step_id = $1 AND status IN ('failed', 'cancelled') ORDER BY item_index LIMIT 1`,
        [loop.id],
      );
      const index = failed?.item_index ?? -1;
      const error = { code: 'item_failed', message: `item ${index} ${failed?.status ?? 'failed'}: ${failed?.error?.message ?? 'unknown error'}`, retryable: false, details: { index, runId: failed?.id } };
      await t.c.query(`UPDATE run_steps SET status = 'failed', error = $2, finished_at = clock_timestamp() WHERE id = $1 AND status = 'running'`, [loop.id, JSON.stringify(error)]);
      t.noteSettled();
      await cancelChildren(t, [loop.id]);
    } else if (loop.items_done >= loop.items_total) {
      await settleLoop(t, loop);
    } else {
      await startIterations(t, loop.id, configOf(t.graph.node(loop.node_id), 'for_each').concurrency);
    }
  }
}

/**
 * A loop whose items all succeeded takes their outputs, in item order, as its output, unless they
 * are together past the value limit: then it fails with budget_exceeded (measured in Postgres
 * before aggregating: jsonb_agg itself refuses past 256 MB, and a transaction that always fails
 * would retry forever).
 */
async function settleLoop(t: Transition, loop: LoopStep): Promise<void> {
  const { maxValueBytes } = t.limits.evaluation;
  const [size] = await rows<{ bytes: string }>(
    t.c,
    `SELECT coalesce(sum(octet_length(coalesce(output, 'null'::jsonb)::text) + 1), 0)::bigint AS bytes FROM runs WHERE parent_step_id = $1`,
    [loop.id],
  );
  const bytes = Number(size?.bytes ?? 0) + 1;
  if (bytes > maxValueBytes) {
    const e = overValue(t, bytes, `the output of for_each "${loop.node_id}" (its ${loop.items_total.toLocaleString('en-US')} items' outputs)`);
    await t.c.query(`UPDATE run_steps SET status = 'failed', error = $2, finished_at = clock_timestamp() WHERE id = $1 AND status = 'running'`, [loop.id, JSON.stringify(e)]);
  } else {
    await t.c.query(
      `UPDATE run_steps SET status = 'succeeded', finished_at = clock_timestamp(),
         output = (SELECT coalesce(jsonb_agg(coalesce(output, 'null'::jsonb) ORDER BY item_index), '[]'::jsonb) FROM runs WHERE parent_step_id = $1)
       WHERE id = $1 AND status = 'running'`,
      [loop.id],
    );
  }
  t.noteSettled();
}

/** The step error of a value past WEFT_MAX_VALUE_BYTES, measured outside the engine. */
function overValue(t: Transition, bytes: number, what: string) {
  const max = t.limits.evaluation.maxValueBytes;
  return {
    code: 'budget_exceeded',
    message: `${what} is ${bytes.toLocaleString('en-US')} bytes as JSON; the limit is ${max.toLocaleString('en-US')} (${LIMIT_SETTINGS.maxValueBytes})`,
    retryable: false,
    details: { limit: LIMIT_SETTINGS.maxValueBytes, max, actual: bytes },
  };
}
