/** Advances one run; `unlocked` is the hint of start and settled-step jobs (see advance-run.ts). */
export type AdvanceFn = (runId: string, unlocked: boolean) => Promise<void>;

interface Turn {
  /** The transition running now for this run. */
  current: Promise<void>;
  /** The one transition every job that arrived meanwhile waits for; starts when `current` ends. */
  next?: Promise<void>;
}

/**
 * At most one transition of a run at a time in this process, and jobs that arrive while it runs
 * share ONE follow-up transition instead of one each. A transition folds in everything that
 * happened to its run up to its read, so one transition started after a job arrived does that
 * job's work: a for_each whose 50 iterations end together wakes its parent with 50 jobs, which
 * took 50 locked transitions in a row (each waiting on the run's row lock and holding a pool
 * connection meanwhile), and now take two.
 *
 * Durable: a job completes only when a transition that STARTED after the job arrived has
 * completed (its own, or the shared follow-up), so no wake-up is acknowledged before its work is
 * written; a process that dies loses only in-flight jobs, which BullMQ re-delivers as before.
 * A follow-up serves several kinds of jobs, so it takes the run lock (the unlocked path is a hint).
 * Per process only: orchestrators side by side still order a run's transitions by its row lock.
 */
export class RunCoalescer {
  private readonly turns = new Map<string, Turn>();

  constructor(private readonly advance: AdvanceFn) {}

  run(runId: string, unlocked: boolean): Promise<void> {
    const turn = this.turns.get(runId);
    if (!turn) return this.begin(runId, { current: this.advance(runId, unlocked) });
    turn.next ??= turn.current
      .catch(() => undefined)
      .then(() => {
        turn.current = turn.next!;
        turn.next = undefined;
        return this.advance(runId, false);
      });
    return turn.next;
  }

  /** Runs in flight or waiting (for tests and shutdown). */
  get size(): number {
    return this.turns.size;
  }

  private begin(runId: string, turn: Turn): Promise<void> {
    this.turns.set(runId, turn);
    const forget = () => {
      // The turn ends when its last transition does and nothing waits for another one.
      if (turn.next) void turn.next.then(forget, forget);
      else if (this.turns.get(runId) === turn) this.turns.delete(runId);
    };
    void turn.current.then(forget, forget);
    return turn.current;
  }
}
