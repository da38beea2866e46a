import { writeTransitions, type TransitionWrite } from '@weft/run-store';
import type { Pool } from 'pg';

interface Waiting {
  write: TransitionWrite;
  resolve: (outboxIds: string[] | null) => void;
  reject: (err: unknown) => void;
}

/**
 * The guarded writes of the transitions an executor makes where steps ran, batched naturally:
 * writes that arrive while one statement runs go together in the next (`writeTransitions` takes
 * any number of runs), so a burst of completions costs one statement per batch, as the
 * orchestrator's unlocked transitions do (a batch of one when idle, never a timer). Two writes of
 * one run never share a statement (its rows would join both): the later one waits for the next
 * batch, where its guard refuses it if the first moved the run on.
 */
export class GuardedWrites {
  private waiting: Waiting[] = [];
  private busy = false;

  constructor(
    private readonly pool: Pool,
    private readonly maxBatch = 64,
  ) {}

  /** The outbox ids of the write's jobs, or null when its guard refused it (nothing of it written). */
  write(write: TransitionWrite): Promise<string[] | null> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ write, resolve, reject });
      void this.pump();
    });
  }

  private async pump(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      while (this.waiting.length > 0) {
        const batch = this.take();
        try {
          const written = await writeTransitions(this.pool, batch.map((w) => w.write));
          batch.forEach((w, i) => w.resolve(written[i] ?? null));
        } catch (err) {
          batch.forEach((w) => w.reject(err));
        }
      }
    } finally {
      this.busy = false;
    }
  }

  /** Up to `maxBatch` waiting writes, one per run, oldest first; the others keep their place. */
  private take(): Waiting[] {
    const runs = new Set<string>();
    const batch: Waiting[] = [];
    const rest: Waiting[] = [];
    for (const w of this.waiting) {
      if (batch.length < this.maxBatch && !runs.has(w.write.runId)) {
        runs.add(w.write.runId);
        batch.push(w);
      } else rest.push(w);
    }
    this.waiting = rest;
    return batch;
  }
}
