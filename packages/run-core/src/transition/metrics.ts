import { weftMetrics } from '@weft/metrics';
import type { TransitionResult } from './resources';

const END_STATUS: Readonly<Record<string, string>> = { 'run.succeeded': 'succeeded', 'run.failed': 'failed', 'run.cancelled': 'cancelled' };

/**
 * After commit: counts the runs a transition started and ended (`weft_runs_started_total`,
 * `weft_runs_finished_total`, `weft_run_duration_seconds`). Iterations of a for_each are runs of
 * their own kind: counted as finished with `kind="iteration"`, not as started runs nor in the
 * run duration. A run retried after it ended is counted again when it ends again.
 */
export function recordTransition(result: Pick<TransitionResult, 'events' | 'run'>): void {
  const run = result.run;
  if (!run) return;
  for (const e of result.events) {
    if (e.type === 'run.started') {
      if (run.kind === 'run') weftMetrics.runsStarted.inc({ trigger_type: run.triggerType ?? 'api' });
      continue;
    }
    const status = END_STATUS[e.type];
    if (!status) continue;
    weftMetrics.runsFinished.inc({ status, kind: run.kind });
    if (run.kind === 'run') weftMetrics.runDuration.observe({ status }, Math.max(0, Date.now() - run.createdAt.getTime()) / 1000);
  }
}
