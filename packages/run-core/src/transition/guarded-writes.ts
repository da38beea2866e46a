import { writeTransitionsWithSuccessors, type TransitionWrite, type WrittenTransition } from '@weft/run-store';
import type { Pool } from 'pg';
import { NaturalBatches } from './natural-batches';

/**
 * The guarded writes of the transitions an executor makes where steps ran, batched naturally:
 * writes that arrive while one statement runs go together in the next (`writeTransitions` takes
 * any number of runs), so a burst of completions costs one statement per batch, as the
 * orchestrator's unlocked transitions do. Two writes of one run never share a statement (its rows
 * would join both): the later one waits for the next batch, where its guard refuses it if the
 * first moved the run on.
 */
export class GuardedWrites {
  private readonly batches: NaturalBatches<TransitionWrite, WrittenTransition>;

  constructor(pool: Pool, maxBatch = 64) {
    this.batches = new NaturalBatches((writes) => writeTransitionsWithSuccessors(pool, writes), { maxBatch, keyOf: (w) => w.runId });
  }

  private lone = 0;

  /** Whether anything of this process is being written (a batch, or a statement of `alone`). */
  get busy(): boolean {
    return this.lone > 0 || this.batches.active;
  }

  /**
   * Runs `write` (a completion written with its transition in one statement, not batched) only if
   * nothing else of this process is being written: no batch, no other such statement. Else
   * undefined, and the caller takes the batched path: a lone completion costs one round trip, a
   * burst of them shares statements.
   */
  async alone<T>(write: () => Promise<T>): Promise<T | undefined> {
    if (this.busy) return undefined;
    this.lone++;
    try {
      return await write();
    } finally {
      this.lone--;
    }
  }

  /** The outbox ids of the write's jobs (null when its guard refused it: nothing of it written) and the iterations it started. */
  write(write: TransitionWrite): Promise<WrittenTransition> {
    return this.batches.add(write);
  }
}
