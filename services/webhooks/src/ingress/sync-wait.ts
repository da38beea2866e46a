import { RunBus, runOutcome, type Queryable } from '@weft/run-store';
import { TERMINAL_RUN_STATUSES, type RunStatus } from '@weft/workflow-schema';
import type { RedisClient } from '@weft/queue';

export interface RunEnd {
  status: RunStatus;
  output: unknown;
  error: unknown;
}

const END_EVENTS = new Set(['run.succeeded', 'run.failed', 'run.cancelled']);

/**
 * Waits for a run's end through its live events (the orchestrator publishes them after each
 * transition commits), reading the outcome from Postgres: once subscribed (the run may have ended
 * before) and on an end event. Undefined: still going at the deadline.
 */
export async function waitForRunEnd(q: Queryable, subscriber: RedisClient, prefix: string, orgId: string, runId: string, timeoutMs: number): Promise<RunEnd | undefined> {
  let settle!: (end: RunEnd | undefined) => void;
  const done = new Promise<RunEnd | undefined>((resolve) => (settle = resolve));
  const read = async () => {
    const run = await runOutcome(q, orgId, runId);
    if (run && TERMINAL_RUN_STATUSES.has(run.status as RunStatus)) settle(run as RunEnd);
  };
  const timer = setTimeout(() => settle(undefined), timeoutMs);
  const unsubscribe = await RunBus.subscribeRun(subscriber, prefix, runId, (events) => {
    if (events.some((e) => END_EVENTS.has(e.type))) void read().catch(() => undefined);
  });
  try {
    await read();
    return await done;
  } finally {
    clearTimeout(timer);
    await unsubscribe();
  }
}
