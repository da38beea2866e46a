import { jobFor, type JobEnvelope } from '@weft/queue';
import { startPendingIterations, writeTransitions, type TransitionWrite } from '@weft/run-store';
import type { PoolClient } from 'pg';
import { liveEvents, type OrchestratorResources, type RunEvents } from './resources';
import { firstIterationWrite } from './successors';

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
    const first = firstIterationWrite(res, run, graph);
    if ('write' in first) writes.push(first.write);
    else out.jobs.push(first.job);
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
