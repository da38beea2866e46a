import type { RunEvent, RunStatus, Step } from '@weft/workflow-schema';

/** Where a run stood after some of its events: each node's status and the run's. */
export interface ReplayFrame {
  run: RunStatus;
  nodes: Map<string, Step['status']>;
}

/** What a stored step event says of its node (step.started is live-only, never stored). */
const STEP_EVENTS: Record<string, Step['status']> = {
  'step.dispatched': 'queued',
  'step.succeeded': 'succeeded',
  'step.failed': 'failed',
  'step.skipped': 'skipped',
  'step.caught': 'failed',
};

const RUN_EVENTS: Record<string, RunStatus> = {
  'run.created': 'queued',
  'run.started': 'running',
  'run.reopened': 'running',
  'run.retry_requested': 'running',
  'run.succeeded': 'succeeded',
  'run.failed': 'failed',
  'run.cancelled': 'cancelled',
};

const nodeIdsOf = (data: unknown): string[] => {
  const ids = (data as { nodeIds?: unknown } | null)?.nodeIds;
  return Array.isArray(ids) ? ids.filter((x): x is string => typeof x === 'string') : [];
};

/**
 * The run as it stood after its first `count` events, in seq order: the history replayed (a
 * finished run's scrubber recolours the graph with it). A dispatched approval that has not resolved
 * shows as queued: waiting is not an event of its own.
 */
export function frameAt(events: readonly RunEvent[], count: number): ReplayFrame {
  const frame: ReplayFrame = { run: 'queued', nodes: new Map() };
  for (const e of events.slice(0, Math.max(0, count))) {
    const run = RUN_EVENTS[e.type];
    if (run) frame.run = run;
    const step = STEP_EVENTS[e.type];
    if (step && e.nodeId) frame.nodes.set(e.nodeId, step);
    if (e.type === 'steps.cancelled') for (const id of nodeIdsOf(e.data)) frame.nodes.set(id, 'cancelled');
  }
  return frame;
}
