import { jobFor, type JobEnvelope } from '@weft/queue';
import type { StoredRun, SuccessorRow, TransitionWrite } from '@weft/run-store';
import { decide } from '../decide';
import type { WorkflowGraph } from '@weft/engine';
import { decideEnv, type OrchestratorResources } from './resources';

/**
 * The loop step whose next pending iteration an iteration's end starts in its own write, if any:
 * an iteration that succeeds hands its slot to the next item (the loop's concurrency holds, the
 * parent is not needed to start it). A failure does not (the parent fails the loop and cancels the rest).
 */
export function successorLoopOf(run: StoredRun, write: TransitionWrite): string | undefined {
  return run.kind === 'iteration' && run.parent_step_id && write.completion !== undefined && write.status === 'succeeded' ? run.parent_step_id : undefined;
}

/** A started successor as its transition reads it: its sibling's row (same loop, org, version, body) with its own id, item and sequence. */
export function successorRun(sibling: StoredRun, row: SuccessorRow): StoredRun {
  return {
    ...sibling,
    id: row.id,
    inputs: row.inputs,
    last_seq: row.last_seq,
    status: 'queued',
    state: null,
    cancel_requested_at: null,
    retry_request: null,
    deadline_at: null,
  };
}

/**
 * An iteration's first transition as its own unlocked transition would write it (trigger inline,
 * first executor steps queued), guarded by its sequence as started; or its start job when that
 * decision needs more than the run (a read, an effect: a nested loop, a sub-workflow) or fails.
 */
export function firstIterationWrite(
  res: Pick<OrchestratorResources, 'limits' | 'random' | 'inlinePureSteps' | 'logger'>,
  run: StoredRun,
  graph: WorkflowGraph,
): { write: TransitionWrite } | { job: JobEnvelope } {
  try {
    const plan = decide({ run: { ...run, state: null }, settled: [], reads: {} }, graph, decideEnv(res));
    if (plan.kind === 'write' && plan.write && plan.effects.length === 0) return { write: { ...plan.write, guardSeq: run.last_seq, applied: [] } };
  } catch (err) {
    res.logger.warn({ err, runId: run.id }, 'deciding an iteration where it was started failed; it starts by its own job');
  }
  return { job: jobFor.startRun(run.id) };
}
