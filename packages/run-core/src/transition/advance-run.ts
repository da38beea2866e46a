import { publishOutbox, withTx } from '@weft/run-store';
import { ATTR, endSpan, startSpan, tracingEnabled } from '@weft/telemetry';
import { lockedTransition } from './locked';
import { recordTransition } from './metrics';
import type { OrchestratorResources } from './resources';
import { UnlockedBatcher } from './unlocked-batch';

/**
 * Folds everything that happened to a run since its last transition (start, retry, cancel,
 * deadline, timers, settled steps, loop progress) into its state: `decide` (pure) says what to
 * write, and this adapter writes it. Idempotent: a duplicate job finds nothing new and changes nothing.
 *
 * `unlocked` (a start job, a settled step's job) first tries the transition without a transaction
 * and row lock, writing only if the run did not change meanwhile (see `UnlockedBatcher`); any
 * plan that needs more takes the lock (`lockedTransition`). After commit: the outbox's jobs are
 * published, steps cancelled in executors and the events sent to live views.
 */
export async function advanceRun(res: OrchestratorResources, runId: string, opts: { unlocked?: boolean } = {}): Promise<void> {
  const startedAt = tracingEnabled() ? Date.now() : 0;
  const unlocked = opts.unlocked ? await unlockedBatcher(res).advance(runId) : 'take the lock';
  const result = unlocked === 'take the lock' ? await withTx(res.pool, (c) => lockedTransition(res, c, runId)) : unlocked.done;
  if (!result) return;
  // The span is known once the run is read (its traceparent): it starts when the transition did.
  const span = result.trace?.parent
    ? startSpan('weft.run.transition', {
        parent: result.trace.parent,
        startTime: startedAt,
        attributes: {
          [ATTR.runId]: runId,
          [ATTR.orgId]: result.trace.orgId,
          ...(result.trace.status ? { [ATTR.status]: result.trace.status } : {}),
          'weft.locked': unlocked === 'take the lock',
          'weft.events': result.events.map((e) => e.type),
          'weft.jobs': result.jobs.length,
        },
      })
    : undefined;
  try {
    await publishOutbox(res.pool, res.queues, result.outboxIds, result.jobs, res.logger, res.outboxDeletes);
  } finally {
    endSpan(span);
  }
  recordTransition(result);
  if (res.bus) {
    await res.bus.publishCancel(result.abortStepIds);
    await res.bus.publishRunEvents(runId, result.events);
    for (const other of result.otherRuns ?? []) await res.bus.publishRunEvents(other.runId, other.events);
  }
}

const batchers = new WeakMap<OrchestratorResources, UnlockedBatcher>();
/** One batcher per set of resources (per orchestrator), made on first use. */
function unlockedBatcher(res: OrchestratorResources): UnlockedBatcher {
  let b = batchers.get(res);
  if (!b) batchers.set(res, (b = new UnlockedBatcher(res)));
  return b;
}
