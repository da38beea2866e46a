import { lockRun, takeSettledSteps, touchRun, writeTransitions, type StoredRun } from '@weft/run-store';
import type { PoolClient } from 'pg';
import { decide, type Plan, type Reads } from '../decide';
import { applyEffects } from './effects';
import { loadReads } from './reads';
import { decideEnv, limitsOf, liveEvents, runFacts, snapshotOf, traceOf, type OrchestratorResources, type TransitionResult } from './resources';

/** Reads and decisions of one transition: each decision asks for what it lacks, so this bounds the rounds of asking. */
const MAX_ATTEMPTS = 25;

/**
 * A transition under the run's row lock (inside the caller's transaction): read the run FOR
 * UPDATE and the settled steps (marked applied as they are read), decide, load what the decision
 * asks for and decide again from scratch until it has everything, then apply the plan: its
 * effects in order, then the one final write. Per-run order with any number of orchestrators.
 */
export async function lockedTransition(res: OrchestratorResources, c: PoolClient, runId: string): Promise<TransitionResult | undefined> {
  const run = await lockRun(c, runId);
  if (!run) return undefined;
  const graph = await res.graphs.get(run.workflow_version_id, run.body_path, c);
  // An unstarted run has no steps: nothing to look for (a pure run starts and ends in one statement).
  const settled = run.state === null ? [] : await takeSettledSteps(c, runId);
  const reads: Reads = {};
  for (let attempt = 1; ; attempt++) {
    const plan = decide(snapshotOf(run, settled, reads), graph, decideEnv(res));
    if (plan.kind === 'nothing') return undefined;
    if (plan.kind === 'write') return applyPlan(res, c, run, plan);
    if (attempt === MAX_ATTEMPTS) throw new Error(`run ${runId}: still needs ${JSON.stringify(plan.reads)} after ${attempt} reads`);
    await loadReads(c, run, plan.reads, limitsOf(res), reads);
  }
}

/**
 * Effects first (their jobs join the final write's outbox rows; the iterations they start are
 * written with their own outbox rows), then the final write, or only the jobs' outbox rows when
 * no state changed.
 */
async function applyPlan(res: OrchestratorResources, c: PoolClient, run: StoredRun, plan: Extract<Plan, { kind: 'write' }>): Promise<TransitionResult> {
  const effects = await applyEffects(res, c, run, plan.effects);
  const jobs = [...(plan.write?.jobs ?? []), ...effects.jobs];
  let outboxIds: string[] = [];
  if (plan.write) {
    // A loop step new in this write counts the iterations its effects started (the statement that started them found no row to count them on).
    const steps = plan.write.steps.map((s) => (effects.startedIterations.has(s.id) ? { ...s, itemsStarted: effects.startedIterations.get(s.id)! } : s));
    const [written] = await writeTransitions(c, [{ ...plan.write, steps, jobs, guardSeq: null, applied: [] }]);
    if (!written) throw new Error(`run ${run.id}: the locked transition was not written`);
    outboxIds = written;
  } else if (jobs.length > 0 || effects.startedIterations.size > 0) {
    // Loop progress may start iterations without any event of the run: their jobs, and the run marked as moving for the reconciler.
    outboxIds = await touchRun(c, { id: run.id, orgId: run.org_id }, jobs);
  }
  return {
    outboxIds: [...outboxIds, ...effects.written.outboxIds],
    jobs: [...jobs, ...effects.written.jobs],
    abortStepIds: effects.abortStepIds,
    events: liveEvents(plan.write?.events ?? []),
    otherRuns: effects.otherRuns,
    run: runFacts(run),
    trace: traceOf(run, plan.write?.status),
  };
}
