import type { Queues } from '@weft/queue';
import { publishOutbox, releaseSteps as requeueHeldSteps, withTx, type HeldStep } from '@weft/run-store';
import type { Logger } from '@weft/logger';
import type { Pool } from 'pg';

/**
 * Graceful shutdown past its grace period: gives the steps this executor still runs back to the
 * queue, so another executor runs them (once) without waiting for their deadline.
 *
 * ONE transaction: each step still `running` under the fence it was claimed with goes back to
 * `queued` with fence + 1 (the interrupted attempt's late completion is then discarded as stale)
 * together with the outbox row of its new execute-step job; the jobs are published after commit.
 * A step that finished meanwhile is left alone, and so is a step this executor lost meanwhile (a
 * stalled executor whose step was re-queued and claimed by another one cannot take it back). The
 * attempt number does not change: an interrupted attempt is not a failed one.
 */
export async function releaseSteps(pool: Pool, queues: Queues, steps: readonly HeldStep[], logger: Logger): Promise<string[]> {
  if (steps.length === 0) return [];
  const released = await withTx(pool, (c) => requeueHeldSteps(c, steps));
  await publishOutbox(pool, queues, released.ids, released.jobs, logger);
  return released.stepIds;
}
