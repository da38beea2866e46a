import type { Logger } from '@weft/logger';
import { markHop } from '@weft/queue';
import { recordTransition, settleInPlace, type KnownStep, type SettlingStep } from '@weft/run-core';
import { publishOutbox, type StepResult } from '@weft/run-store';
import { ATTR, activeSpan, endSpan, startSpan } from '@weft/telemetry';
import { isExecutableType } from './processors';
import type { ExecutorResources } from './resources';

/** A step claimed for this process by the transition of the step before it (with the run as that write left it), with its abort controller (registered before the claim committed). */
export interface EagerStep {
  step: KnownStep;
  cancel: AbortController;
}

/**
 * Writes a step's result and the run's transition where the step ran (run-core `settleInPlace`),
 * then hands on what the transition produced: its jobs (published from the outbox), its events
 * (live views), and the next step when the transition claimed one for this process.
 *
 * The next step is taken in the slot of the one that ended (the caller runs it in the same job
 * processor), so the executor's concurrency holds: one at most per completion, none while the
 * executor stops. Its abort controller is registered BEFORE the write commits, so a cancel
 * notice that follows the commit cannot miss it; a write that loses forgets it.
 */
export async function settleHere(res: ExecutorResources & { settleInPlace: NonNullable<ExecutorResources['settleInPlace']> }, step: SettlingStep, result: StepResult, log: Logger): Promise<EagerStep | undefined> {
  let taken: { id: string; cancel: AbortController } | undefined;
  const eager = res.settleInPlace.eager
    ? {
        leaseMs: res.leases.leaseMs,
        defaultTimeoutMs: res.defaultTimeoutMs,
        // A transition decided again (its first write found the run moved on) takes its step again: the last one taken holds.
        take: (row: { id: string; nodeType: string }) => {
          if (res.stopping?.now || !isExecutableType(res.processors, row.nodeType)) return false;
          forget(res, taken);
          taken = { id: row.id, cancel: new AbortController() };
          res.running.set(row.id, taken.cancel);
          return true;
        },
      }
    : undefined;
  // A child of the step's span (when the step has one): named a transition once one is written here.
  const span = activeSpan() && startSpan('weft.step.settle', { attributes: { [ATTR.runId]: step.runId, 'weft.settled_here': true } });
  const outcome = await settleInPlace(res.settleInPlace, step, result, eager).catch((err: unknown) => {
    forget(res, taken);
    endSpan(span, err);
    throw err;
  });
  markHop('exec.completed', step.runId, step.id);
  if (outcome.kind !== 'settled' || !outcome.eager) forget(res, taken);
  switch (outcome.kind) {
    case 'stale':
      span?.setAttribute(ATTR.status, 'stale');
      endSpan(span);
      log.warn({ fence: step.fence }, 'stale completion discarded (the step was re-claimed, cancelled or timed out)');
      return undefined;
    case 'handed-over':
      // The transition is left to the orchestrator (its own span there).
      span?.setAttribute('weft.handed_over', true);
      await publishOutbox(res.pool, res.queues, outcome.settledJob.ids, outcome.settledJob.jobs, log, res.outboxDeletes).finally(() => endSpan(span));
      return undefined;
    case 'settled': {
      const { transition, eager: next } = outcome;
      if (span && transition.trace) {
        span.updateName('weft.run.transition');
        span.setAttribute(ATTR.orgId, transition.trace.orgId);
        if (transition.trace.status) span.setAttribute(ATTR.status, transition.trace.status);
        span.setAttribute('weft.events', transition.events.map((e) => e.type));
        span.setAttribute('weft.jobs', transition.jobs.length);
      }
      await publishOutbox(res.pool, res.queues, transition.outboxIds, transition.jobs, log, res.outboxDeletes).finally(() => endSpan(span));
      recordTransition(transition);
      // Live views are best-effort (a lost publish costs a view a refresh, never a run) and go out
      // in order on the bus's one connection: the next step does not wait for Redis to answer.
      void res.bus?.publishRunEvents(step.runId, transition.events);
      for (const other of transition.otherRuns ?? []) void res.bus?.publishRunEvents(other.runId, other.events);
      markHop('exec.settled', step.runId, step.id);
      return next && taken ? { step: next, cancel: taken.cancel } : undefined;
    }
  }
}

/** Lets go of a step taken for a write that did not claim it. */
function forget(res: ExecutorResources, taken: { id: string; cancel: AbortController } | undefined) {
  if (taken && res.running.get(taken.id) === taken.cancel) res.running.delete(taken.id);
}
