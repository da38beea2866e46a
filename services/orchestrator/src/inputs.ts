import type { EngineEvent } from '@weft/engine';
import { rows, sqlNameList } from '@weft/run-store';
import { nodeKind, typesWith, type StepError } from '@weft/workflow-schema';
import type { Transition } from './transition-context';
import type { SettledStep } from './transition-write';

/** Run-level inputs: start, cancel request, deadline, retry request. */
export function runEvents(t: Transition): EngineEvent[] {
  const events: EngineEvent[] = [];
  const { run } = t;
  if (!run.state) events.push({ type: 'run.started' });
  if (run.retry_request) events.push({ type: 'run.retry_requested', ...(run.retry_request.fromNodeId ? { fromNodeId: run.retry_request.fromNodeId } : {}) });
  if (run.cancel_requested_at) events.push({ type: 'run.cancel_requested' });
  if (run.deadline_at && run.deadline_at.getTime() <= Date.now()) events.push({ type: 'run.timed_out' });
  return events;
}

/** Due timers: those of the steps whose kind parks them (delay, approval timeouts). */
const DUE_TIMERS = `SELECT id, node_id, node_type FROM run_steps
     WHERE run_id = $1 AND status = 'waiting' AND node_type IN (${sqlNameList(typesWith('parks'))}) AND available_at <= now()
     FOR UPDATE`;

/**
 * Fires due timers of the run (inside its lock, so exactly once): a delay ends successfully;
 * an approval that timed out takes its `rejected` path, or fails when it has none.
 */
export async function fireDueTimers(t: Transition): Promise<void> {
  await t.flushSteps();
  const due = await rows<{ id: string; node_id: string; node_type: string }>(
    t.c,
    DUE_TIMERS,
    [t.run.id],
  );
  if (due.length > 0) t.noteSettled();
  for (const s of due) {
    if (nodeKind(s.node_type) === 'timer') {
      await t.c.query(`UPDATE run_steps SET status = 'succeeded', output = jsonb_build_object('resumedAt', clock_timestamp()), finished_at = clock_timestamp() WHERE id = $1`, [s.id]);
      t.log.push('timer.fired', {}, s.node_id, s.id);
      continue;
    }
    const hasRejectedPath = (t.graph.outgoing.get(s.node_id) ?? []).some((e) => e.handle === 'rejected');
    if (hasRejectedPath) {
      await t.c.query(`UPDATE run_steps SET status = 'succeeded', handle = 'rejected', output = '{"timedOut":true}', finished_at = clock_timestamp() WHERE id = $1`, [s.id]);
    } else {
      const error: StepError = { code: 'approval_timeout', message: 'nobody approved or rejected in time', retryable: false };
      await t.c.query(`UPDATE run_steps SET status = 'failed', error = $2, finished_at = clock_timestamp() WHERE id = $1`, [s.id, JSON.stringify(error)]);
    }
    t.log.push('approval.timed_out', { path: hasRejectedPath ? 'rejected' : 'failed' }, s.node_id, s.id);
  }
}

const SETTLED = (withOutput: boolean) => `WITH s AS (
     UPDATE run_steps SET applied = true
     WHERE run_id = $1 AND applied = false AND status IN ('succeeded', 'failed')
     RETURNING id, node_id, node_type, attempt, status, error, handle, finished_at${withOutput ? ", CASE WHEN status = 'succeeded' THEN output END AS output" : ''})
   SELECT id, node_id, node_type, attempt, status, error, handle${withOutput ? ', output' : ''} FROM s ORDER BY finished_at, id`;
const SETTLED_SQL = { plain: SETTLED(false), withOutput: SETTLED(true) };

async function querySettled(t: Transition): Promise<SettledStep[]> {
  await t.flushSteps();
  const withOutput = t.tracksOutputs;
  const { rows: settled } = await t.c.query<SettledStep>({
    name: withOutput ? 'weft_orch_settled_out' : 'weft_orch_settled',
    text: withOutput ? SETTLED_SQL.withOutput : SETTLED_SQL.plain,
    values: [t.run.id],
  });
  if (withOutput) t.addOutputs(settled.filter((s) => s.status === 'succeeded').map((s) => ({ nodeId: s.node_id, output: s.output ?? null })));
  return settled;
}

/**
 * Steps that ended (executor, resume, timers, children, sweeper) and the engine has not seen yet,
 * marked seen in the same statement; not asked when none can be there (see Transition). A step
 * an executor settles while this transition runs is left to the job the executor sends after. When the transition tracks outputs in memory they come
 * along, so the context is kept current without reading every output again.
 */
export async function settledSteps(t: Transition): Promise<{ stepId: string; event: EngineEvent; approval?: string }[]> {
  if (!t.takeUnappliedSettled()) return [];
  // Read with the run (unlocked transition): without outputs, which are then not tracked yet.
  const settled = t.takePrereadSettled() ?? (await querySettled(t));
  const random = t.res.random ?? Math.random;
  return settled.map((s) => ({
    stepId: s.id,
    ...(nodeKind(s.node_type) === 'waiting' && s.status === 'succeeded' ? { approval: s.handle ?? 'rejected' } : {}),
    event:
      s.status === 'succeeded'
        ? { type: 'step.succeeded', nodeId: s.node_id, attempt: s.attempt, ...(s.handle ? { handle: s.handle } : {}) }
        : { type: 'step.failed', nodeId: s.node_id, attempt: s.attempt, error: s.error ?? { code: 'unknown', message: 'the step failed without an error', retryable: false }, random: random() },
  }));
}
