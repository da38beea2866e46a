import { jobFor, type JobEnvelope } from '@weft/queue';
import { startPendingIterations, writeTransitions, type StoredRun, type TransitionWrite } from '@weft/run-store';
import type { PoolClient } from 'pg';
import { decide } from '../decide';
import { decideEnv, liveEvents, snapshotOf, type OrchestratorResources, type RunEvents } from './resources';

/** What starting a loop's iterations wrote: their first transitions (outbox rows and jobs, live events) and the start jobs of the others. */
export interface StartedIterations {
  /** Jobs whose outbox rows are already written (the iterations' first steps). */
  written: { outboxIds: string[]; jobs: JobEnvelope[] };
  /** Start jobs to write with the parent's transition (iterations whose first decision needs more). */
  jobs: JobEnvelope[];
  events: RunEvents[];
  /** Iterations started. */
  count: number;
}

/**
 * Starts pending iterations of a loop up to its concurrency, inside the parent's locked
 * transition, and writes the first transition of each one right there: its start decided from
 * its own snapshot (the run row as the start read it: not started, its item as inputs) and
 * written with the others by ONE `writeTransitions` (state `running`, the body's trigger
 * inline, its first executor steps queued with their outbox rows). An iteration costs no start
 * job and no start transition of its own. The iterations' rows are locked by this transaction
 * (the statement that starts them), so their guard always holds. An iteration whose first
 * decision needs more than the run itself (a read, an effect: a nested loop, a sub-workflow)
 * or fails gets a start job instead, as every iteration did before, and decides in its own transition.
 */
export async function startIterations(res: OrchestratorResources, q: PoolClient, stepId: string, concurrency: number): Promise<StartedIterations> {
  const out: StartedIterations = { written: { outboxIds: [], jobs: [] }, jobs: [], events: [], count: 0 };
  const runs = await startPendingIterations(q, stepId, concurrency);
  if (runs.length === 0) return out;
  out.count = runs.length;
  const graph = await res.graphs.get(runs[0]!.workflow_version_id, runs[0]!.body_path, q);
  const writes: TransitionWrite[] = [];
  for (const run of runs) {
    const write = firstWrite(res, run, graph);
    if (write) writes.push(write);
    else out.jobs.push(jobFor.startRun(run.id));
  }
  if (writes.length === 0) return out;
  const written = await writeTransitions(q, writes);
  writes.forEach((w, i) => {
    const outboxIds = written[i];
    if (!outboxIds) {
      out.jobs.push(jobFor.startRun(w.runId)); // not expected (the row is locked here): the iteration starts itself
      return;
    }
    out.written.outboxIds.push(...outboxIds);
    out.written.jobs.push(...w.jobs);
    out.events.push({ runId: w.runId, events: liveEvents(w.events) });
  });
  return out;
}

/** An iteration's start as its own unlocked transition would write it, or undefined when it needs more (then its start job decides it). */
function firstWrite(res: OrchestratorResources, run: StoredRun, graph: Awaited<ReturnType<OrchestratorResources['graphs']['get']>>): TransitionWrite | undefined {
  try {
    const plan = decide(snapshotOf(run, [], {}), graph, decideEnv(res));
    if (plan.kind !== 'write' || !plan.write || plan.effects.length > 0) return undefined;
    return { ...plan.write, guardSeq: run.last_seq, applied: [] };
  } catch (err) {
    res.logger.warn({ err, runId: run.id }, 'deciding an iteration in its parent failed; it starts by its own job');
    return undefined;
  }
}
