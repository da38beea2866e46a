import type { PoolClient } from 'pg';
import type { OrchestratorResources, RunRow } from './transition-context';
import { READ_RUNS } from './transition-sql';
import { FALL_BACK, NeedsLock, noQueries, writeTransitions, type TransitionIo, type TransitionResult, type TransitionWrite } from './transition-write';

type StartOutcome = TransitionResult | undefined | typeof FALL_BACK;
/** A run's transition (advance-run.ts), given to the batcher. */
type Transition = (res: OrchestratorResources, run: RunRow, io: TransitionIo) => Promise<StartOutcome>;

/**
 * Unlocked starts (a run's start job): the start of a new run whose first transition is decided
 * in memory (pure steps inline, executor steps queued) is written by ONE autocommitted statement
 * that applies only to a run still unstarted at the sequence read; no BEGIN, FOR UPDATE, COMMIT.
 * Starts that arrive while one is being written wait and go together: one read and one write for
 * the whole batch (natural batching: a batch of one when idle, larger under load, never a timer).
 * A start that needs a statement of its own (control nodes, loops), a run with a cancel or retry
 * already requested, a lost race or any error: FALL_BACK, having written nothing, and the caller
 * takes the locked transition.
 */
export class StartBatcher {
  private waiting: { runId: string; resolve: (o: StartOutcome) => void }[] = [];
  private busy = false;

  constructor(
    private readonly res: OrchestratorResources,
    private readonly transition: Transition,
    private readonly maxBatch = 64,
  ) {}

  start(runId: string): Promise<StartOutcome> {
    return new Promise((resolve) => {
      this.waiting.push({ runId, resolve });
      void this.pump();
    });
  }

  private async pump(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      while (this.waiting.length > 0) {
        const batch = this.waiting.splice(0, this.maxBatch);
        const outcomes = await startMany(this.res, this.transition, batch.map((b) => b.runId)).catch((err: unknown) => {
          this.res.logger.warn({ err, runs: batch.length }, 'unlocked starts failed; taking the run locks');
          return batch.map((): StartOutcome => FALL_BACK);
        });
        batch.forEach((b, i) => b.resolve(outcomes[i]));
      }
    } finally {
      this.busy = false;
    }
  }
}

async function startMany(res: OrchestratorResources, transition: Transition, runIds: string[]): Promise<StartOutcome[]> {
  const client = await res.pool.connect();
  try {
    const { rows } = await client.query<RunRow>({ name: 'weft_orch_read_runs', text: READ_RUNS, values: [runIds] });
    const byId = new Map(rows.map((r) => [r.id, r]));
    // Every transition decides, then waits at `write` until all of them have decided (or ended
    // without a write): then one statement writes the lot.
    const writes: { w: TransitionWrite; done: (r: string[] | typeof FALL_BACK) => void }[] = [];
    let deciding = runIds.length;
    let allDecided!: () => void;
    const decided = new Promise<void>((r) => (allDecided = r));
    const oneDecided = () => {
      if (--deciding === 0) allDecided();
    };
    // A run twice in one batch (duplicate jobs): its first start decides, the others take the lock.
    const seen = new Set<string>();
    const first = (id: string) => !seen.has(id) && seen.add(id) !== undefined;
    const outcomes = runIds.map((id) => decide(res, transition, client, first(id) ? byId.get(id) : undefined, writes, oneDecided));
    await decided;
    if (writes.length > 0) {
      const written = await writeTransitions(client, writes.map((x) => x.w)).catch((err: unknown) => {
        res.logger.warn({ err, runs: writes.length }, 'batched start write failed; taking the run locks');
        return writes.map((): string[] | typeof FALL_BACK => FALL_BACK);
      });
      writes.forEach((x, i) => x.done(written[i]!));
    }
    return await Promise.all(outcomes);
  } finally {
    client.release();
  }
}

async function decide(
  res: OrchestratorResources,
  transition: Transition,
  client: PoolClient,
  run: RunRow | undefined,
  writes: { w: TransitionWrite; done: (r: string[] | typeof FALL_BACK) => void }[],
  oneDecided: () => void,
): Promise<StartOutcome> {
  let wrote = false;
  try {
    if (!run || run.state !== null || run.retry_request || run.cancel_requested_at) return FALL_BACK;
    return await transition(res, run, {
      c: noQueries(client),
      reads: client,
      startGuard: true,
      write: (w) =>
        new Promise((done) => {
          wrote = true;
          writes.push({ w, done });
          oneDecided();
        }),
    });
  } catch (err) {
    if (!(err instanceof NeedsLock)) res.logger.warn({ err, runId: run?.id }, 'unlocked start failed; taking the run lock');
    return FALL_BACK;
  } finally {
    if (!wrote) oneDecided();
  }
}
