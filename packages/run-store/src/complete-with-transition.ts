import { jobFor } from '@weft/queue';
import { outboxRowFrom } from './outbox';
import { holdsFence, latestOutputsSql } from './rules';
import type { Queryable } from './sql';
import { completedSql, completionParams, type CompletedWithRun, type HeldStep, type StepResult } from './steps';
import { RUN_COLUMNS, settledStepsOf } from './transition/read-run';
import { TRANSITION_PARAMS, transitionParams, transitionWithMore, writtenTransitions, type TransitionRow, type TransitionWrite, type WrittenTransition } from './transition/write-transition';

/** The completion's parameters follow the write's. */
const p = (n: number) => `$${TRANSITION_PARAMS + n}`;

/**
 * What the write presumes of the run besides its sequence (the transition's guard): no cancel
 * request, the step still held under its fence, and no other step settled and not applied (a
 * decision made without it would leave it to its own step-settled job: correct, but not what the
 * read path decides). Read in the statement's snapshot; the completion (`done`) checks the fence
 * again on the row itself, and the assertion below keeps the two from disagreeing.
 */
const PRESUMED = `
         AND r.cancel_requested_at IS NULL
         AND EXISTS (SELECT 1 FROM run_steps h WHERE h.id = ${p(1)} AND h.run_id = r.id AND ${holdsFence('h', p(2))})
         AND NOT EXISTS (SELECT 1 FROM run_steps o WHERE o.run_id = r.id AND o.applied = false AND o.status IN ('succeeded', 'failed'))`;

/**
 * ONE statement: a step's fenced completion and the run's transition decided from the run as the
 * caller knows it, written only if the run is still that (`PRESUMED` and the write's sequence
 * guard). Then the completed step is marked applied with it, and no step-settled job is needed.
 * Otherwise the completion is written alone, exactly as `completeAndReadRun` writes it: with its
 * step-settled outbox row, and the run, its settled steps and outputs read in the same statement
 * (as they were before it), for the caller to decide again. A transition written for a completion
 * that was not (the step lost between the guard's read and its own update) raises WF001 in
 * `weft_assert`: the statement is rolled back whole, and the completion is stale.
 */
const COMPLETE_WITH_TRANSITION = transitionWithMore(
  PRESUMED,
  `${completedSql(p, 'EXISTS (SELECT 1 FROM run)')},
     left_over AS (SELECT org_id, run_id FROM done WHERE NOT EXISTS (SELECT 1 FROM run)),
     settled_ob AS (${outboxRowFrom('left_over', TRANSITION_PARAMS + 8)}),
     rr AS (SELECT ${RUN_COLUMNS} FROM runs WHERE id = (SELECT run_id FROM left_over))`,
  `weft_assert(NOT EXISTS (SELECT 1 FROM run) OR EXISTS (SELECT 1 FROM done), 'a transition was written for a completion that was not: rolled back') AS fenced,
     EXISTS (SELECT 1 FROM done) AS completed, (SELECT id FROM settled_ob) AS settled_outbox_id,
     rr.*, ${settledStepsOf('rr.id')} AS settled, (SELECT jsonb_object_agg(o.node_id, o.output) FROM (${latestOutputsSql('rr.id')}) o) AS outputs`,
  'FROM (SELECT 1) AS one LEFT JOIN rr ON true',
);

/** How a completion written with a presumed transition ended. */
export type CompletedWithTransition =
  | { kind: 'written'; written: WrittenTransition }
  | { kind: 'read'; read: CompletedWithRun }
  | { kind: 'stale' };

/**
 * The completion of `step` with the transition `write` (guarded by `write.guardSeq`, applying no
 * other settled step): written together, or the completion alone with the run read (`read`), or
 * nothing (`stale`: the fence was lost).
 */
export async function completeWithTransition(q: Queryable, step: HeldStep & { runId: string }, r: StepResult, write: TransitionWrite): Promise<CompletedWithTransition> {
  const job = jobFor.stepSettled(step.runId, step.id, r.status);
  type Row = TransitionRow & CompletedWithRun['run'] & { completed: boolean; settled_outbox_id: string | null };
  let row: Row | undefined;
  try {
    ({ rows: [row] } = await q.query<Row>({ name: 'weft_exec_complete_write', text: COMPLETE_WITH_TRANSITION, values: [...transitionParams([write]), ...completionParams(step, r, job)] }));
  } catch (err) {
    if ((err as { code?: string }).code === 'WF001') return { kind: 'stale' };
    throw err;
  }
  if (!row?.completed) return { kind: 'stale' };
  const { applied, outbox_ids, outbox_jobs, successors, completed: _completed, settled_outbox_id, fenced: _fenced, ...run } = row as Row & { fenced: boolean };
  const [written] = writtenTransitions([write], { applied, outbox_ids, outbox_jobs, successors });
  if (written!.outboxIds) return { kind: 'written', written: written! };
  return { kind: 'read', read: { settledJob: { ids: [String(settled_outbox_id)], jobs: [job] }, run } };
}
