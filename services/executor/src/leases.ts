import { asMaintenance } from '@weft/db';
import type { Logger } from '@weft/logger';
import { renewLeases } from '@weft/run-store';
import type { Pool } from 'pg';

interface Held {
  fence: number;
  /** When the lease was last set (claim or renewal), by this process's clock. */
  since: number;
  abort: (reason: Error) => void;
}

/**
 * The leases of the steps this executor runs. The claim sets `lease_expires_at = now() + leaseMs`;
 * one timer per process renews, in ONE statement, the leases that have aged a third of `leaseMs`,
 * so a step shorter than that costs no statement at all, and a long one is renewed every
 * `leaseMs / 3`. A worker that dies (SIGKILL, OOM) stops renewing: the orchestrator's sweeper
 * finds the expired lease in Postgres within seconds and re-queues the step (fence + 1).
 *
 * A renewal is fenced: a step that is not `running` under the fence this process claimed it with
 * any more (re-queued after its lease expired while this process was paused, cancelled, timed
 * out) is not renewed, and its local work is aborted: its completion would be discarded anyway.
 */
export class StepLeases {
  private readonly held = new Map<string, Held>();
  private timer: NodeJS.Timeout | undefined;
  private renewing: Promise<void> = Promise.resolve();

  constructor(
    private readonly pool: Pool,
    readonly leaseMs: number,
    private readonly logger: Logger,
  ) {}

  /** Starts the renewal timer (unref'd: it never keeps the process alive). */
  start(): this {
    this.timer ??= setInterval(() => void this.renewDue(), Math.max(Math.floor(this.leaseMs / 3), 50));
    this.timer.unref();
    return this;
  }

  /**
   * Holds the lease this process claimed `stepId` with. The same process can claim a step again
   * (its earlier attempt stalled past its lease and the sweeper re-queued the step with fence + 1):
   * the earlier attempt lost the step, so it is aborted here, as a failed renewal would have.
   */
  hold(stepId: string, fence: number, abort: (reason: Error) => void): void {
    const earlier = this.held.get(stepId);
    if (earlier && earlier.fence >= fence) return; // a stale claim never displaces a newer one
    this.held.set(stepId, { fence, since: Date.now(), abort });
    if (earlier) {
      this.logger.warn({ stepId, fence: earlier.fence, newFence: fence }, 'step claimed again by this process: aborting its earlier attempt');
      earlier.abort(new Error('lease lost'));
    }
  }

  /** Lets go of the lease claimed with `fence`; a newer claim of the same step keeps its lease. */
  drop(stepId: string, fence: number): void {
    if (this.held.get(stepId)?.fence === fence) this.held.delete(stepId);
  }

  /** The steps held now, with the fence each was claimed with (what a release at shutdown may give back). */
  steps(): { id: string; fence: number }[] {
    return [...this.held].map(([id, h]) => ({ id, fence: h.fence }));
  }

  /** Renews the leases older than a third of `leaseMs` (all of them with `all`); at most one renewal at a time. */
  renewDue(all = false): Promise<void> {
    this.renewing = this.renewing.then(() => this.renew(all)).catch((err: unknown) => this.logger.warn({ err }, 'step lease renewal failed; retried on the next tick'));
    return this.renewing;
  }

  private async renew(all: boolean): Promise<void> {
    const now = Date.now();
    const due = [...this.held].filter(([, h]) => all || now - h.since >= this.leaseMs / 3);
    if (due.length === 0) return;
    // Steps of every org this process runs, in one statement: the maintenance role (README, Row-level security).
    const renewed = await asMaintenance(() => renewLeases(this.pool, due.map(([id, h]) => ({ id, fence: h.fence })), this.leaseMs));
    for (const [id, h] of due) {
      if (this.held.get(id) !== h) continue; // finished meanwhile
      if (renewed.has(id)) {
        h.since = now;
        continue;
      }
      this.held.delete(id);
      this.logger.warn({ stepId: id, fence: h.fence }, 'step lease lost (re-queued, cancelled or timed out meanwhile): aborting the local attempt');
      h.abort(new Error('lease lost'));
    }
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }
}
