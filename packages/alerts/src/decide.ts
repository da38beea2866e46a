import type { AlertCondition } from '@weft/workflow-schema';

/** A finished run as alerts see it (cancelled and test runs never count). */
export interface FinishedRun {
  id: string;
  status: 'succeeded' | 'failed';
  createdAt: Date;
}

/**
 * What one evaluation does to a rule: open an incident (and notify), count it (open incident, no
 * message), resolve it (and notify when the rule asks for recovery), or nothing.
 */
export type AlertDecision = { action: 'open' } | { action: 'count' } | { action: 'resolve' } | { action: 'none' };

/** How many of the latest finished runs a condition reads (the window of a rate in minutes reads up to the cap). */
export function runsNeeded(condition: AlertCondition, cap: number): number {
  switch (condition.type) {
    case 'failure':
      return 1;
    case 'consecutive_failures':
      return condition.count;
    case 'failure_rate':
      return condition.windowRuns ?? cap;
  }
}

/** The start of a rate's time window, when it has one (runs started from then on count). */
export function windowStart(condition: AlertCondition, now: Date): Date | undefined {
  return condition.type === 'failure_rate' && condition.windowMinutes !== undefined ? new Date(now.getTime() - condition.windowMinutes * 60_000) : undefined;
}

/** Whether the condition holds over `recent` (the workflow's finished runs, newest first). */
export function conditionHolds(condition: AlertCondition, recent: readonly FinishedRun[], now: Date): boolean {
  switch (condition.type) {
    case 'failure':
      return recent[0]?.status === 'failed';
    case 'consecutive_failures':
      return recent.length >= condition.count && recent.slice(0, condition.count).every((r) => r.status === 'failed');
    case 'failure_rate': {
      const since = windowStart(condition, now);
      const window = since ? recent.filter((r) => r.createdAt >= since) : recent.slice(0, condition.windowRuns);
      if (window.length === 0 || window.length < condition.minRuns) return false;
      const failed = window.filter((r) => r.status === 'failed').length;
      return failed / window.length >= condition.threshold;
    }
  }
}

/**
 * The decision for a rule, from the state of things (not from the one run that woke it): an
 * evaluation repeated, or two made in another order, decide the same. An incident opens when the
 * condition holds and none is open; an open one is resolved by a success once the condition no
 * longer holds (for a rate, a success alone may leave it open); otherwise it only counts.
 */
export function decideAlert(condition: AlertCondition, recent: readonly FinishedRun[], incidentOpen: boolean, now: Date): AlertDecision {
  const holds = conditionHolds(condition, recent, now);
  if (!incidentOpen) return holds ? { action: 'open' } : { action: 'none' };
  if (!holds && recent[0]?.status === 'succeeded') return { action: 'resolve' };
  return { action: 'count' };
}
