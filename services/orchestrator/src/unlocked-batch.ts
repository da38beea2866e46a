import { isFinished } from '@weft/engine';
import type { PoolClient } from 'pg';
import type { OrchestratorResources, RunRow } from './transition-context';
import { READ_RUNS } from './transition-sql';
import { FALL_BACK, NeedsLock, noQueries, writeTransitions, type SettledStep, type TransitionIo, type TransitionResult, type TransitionWrite } from './transition-write';

type Outcome = TransitionResult | undefined | typeof FALL_BACK;
/** A run read without its lock, with its settled steps the engine has not been given. */
type ReadRun = RunRow & { settled: SettledStep[] | null };
/** A run's transition (advance-run.ts), given to the batcher. */
type Transition = (res: OrchestratorResources, run: RunRow, io: TransitionIo) => Promise<Outcome>;

/**
 * Unlocked transitions (a run's start job, a settled step's job): the run is read with its
 * settled steps, without a lock; a transition decided in memory (pure steps inline, executor
 * steps queued) is written by ONE autocommitted statement that applies only to the run as read
 * (same sequence: every state change records events) and marks those steps applied; no BEGIN,
 * FOR UPDATE, COMMIT. Optimistic concurrency: per-run order holds because a write made on a
 * stale read is refused whole. Transitions that arrive while one is being written wait and go
 * together: one read and one write for the whole batch (natural batching: a batch of one when
 * idle, larger under load, never a timer). A transition that needs a statement of its own
 * (control nodes, loops, outputs staged in it), a finished run, a cancel or retry requested, a
 * lost race or any error: FALL_BACK, having written nothing, and the caller takes the lock.
 */
export class UnlockedBatcher {
  private waiting: { runId: string; resolve: (o: Outcome) => void }[] = [];
  private busy = false;

  constructor(
    private readonly res: OrchestratorResources,
    private readonly transition: Transition,
    private readonly maxBatch = 64,
  ) {}

  advance(runId: string): Promise<Outcome> {
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
        const outcomes = await advanceMany(this.res, this.transition, batch.map((b) => b.runId)).catch((err: unknown) => {
          this.res.logger.warn({ err, runs: batch.length }, 'unlocked transitions failed; taking the run locks');
          return batch.map((): Outcome => FALL_BACK);
        });
        batch.forEach((b, i) => b.resolve(outcomes[i]));
      }
    } finally {
      this.busy = false;
    }
  }
}

async function advanceMany(res: OrchestratorResources, transition: Transition, runIds: string[]): Promise<Outcome[]> {
  const client = await res.pool.connect();
  try {
    const { rows } = await client.query<ReadRun>({ name: 'weft_orch_read_runs', text: READ_RUNS, values: [runIds] });
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
    // A run twice in one batch (duplicate jobs): its first transition decides, the others take the lock.
    const seen = new Set<string>();
    const first = (id: string) => !seen.has(id) && seen.add(id) !== undefined;
    const outcomes = runIds.map((id) => decide(res, transition, client, first(id) ? byId.get(id) : undefined, writes, oneDecided));
    await decided;
    if (writes.length > 0) {
      const written = await writeTransitions(client, writes.map((x) => x.w)).catch((err: unknown) => {
        res.logger.warn({ err, runs: writes.length }, 'batched unlocked write failed; taking the run locks');
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
  run: ReadRun | undefined,
  writes: { w: TransitionWrite; done: (r: string[] | typeof FALL_BACK) => void }[],
  oneDecided: () => void,
): Promise<Outcome> {
  let wrote = false;
  try {
    if (!run || run.retry_request || run.cancel_requested_at || (run.state && isFinished(run.state))) return FALL_BACK;
    const { settled, ...row } = run;
    return await transition(res, row, {
      c: noQueries(client),
      reads: client,
      unlocked: { settled: settled ?? [] },
      write: (w) =>
        new Promise((done) => {
          wrote = true;
          writes.push({ w, done });
          oneDecided();
        }),
    });
  } catch (err) {
    if (!(err instanceof NeedsLock)) res.logger.warn({ err, runId: run?.id }, 'unlocked transition failed; taking the run lock');
    return FALL_BACK;
  } finally {
    if (!wrote) oneDecided();
  }
}
