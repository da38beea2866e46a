/** What a fire does while a run of the same schedule is still live (queued, running or waiting). */
export const OVERLAP_POLICIES = ['skip', 'buffer_one', 'allow'] as const;
export type OverlapPolicy = (typeof OVERLAP_POLICIES)[number];

/** Which fires missed while no scheduler ran (downtime) still start a run. */
export const CATCHUP_POLICIES = ['skip', 'latest', 'all'] as const;
export type CatchupPolicy = (typeof CATCHUP_POLICIES)[number];

/**
 * The decision for one fire, given whether a run of the schedule is live and whether a fire is
 * already buffered: `skip` starts nothing while a run is live; `buffer_one` keeps one fire waiting
 * (it starts when the live run ends; more fires meanwhile are skipped); `allow` always starts.
 */
export function overlapDecision(policy: OverlapPolicy, live: boolean, buffered: boolean): 'start' | 'skip' | 'buffer' {
  if (!live || policy === 'allow') return 'start';
  if (policy === 'buffer_one' && !buffered) return 'buffer';
  return 'skip';
}
