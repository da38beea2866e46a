import { hopsTraced, markHop } from '@weft/queue';
import { loadOutputs, readRunsForTransition, writeTransitions, type SettledStep, type StoredRun, type TransitionWrite } from '@weft/run-store';
import type { PoolClient } from 'pg';
import { decide, type Reads } from '../decide';
import { NaturalBatches } from './natural-batches';
import { decideEnv, liveEvents, runFacts, snapshotOf, traceOf, type OrchestratorResources, type TransitionResult } from './resources';

/** An unlocked transition: written (or nothing to write), or to be made under the run lock (nothing was written). */
export type UnlockedOutcome = { done: TransitionResult | undefined } | 'take the lock';
const LOCK = 'take the lock' as const;

/**
 * Unlocked transitions (a run's start job, a settled step's job): the run is read with its
 * settled steps, without a lock, and decided; a plan with no effects (pure steps inline, executor
 * steps queued) is written by ONE autocommitted statement that applies only to the run as read
 * (same sequence: every state change records events) and marks those steps applied; no BEGIN,
 * FOR UPDATE, COMMIT. Optimistic concurrency: per-run order holds because a write made on a
 * stale read is refused whole. Transitions that arrive while one is being written wait and go
 * together: one read and one write for the whole batch (natural batching: a batch of one when
 * idle, larger under load, never a timer). A plan with effects or that needs a read under the
 * lock (due timers, loops, children), a finished run with late results, a cancel or retry
 * requested, a lost race or any error: the caller takes the lock, nothing having been written.
 */
export class UnlockedBatcher {
  private readonly batches: NaturalBatches<string, UnlockedOutcome>;

  constructor(res: OrchestratorResources, maxBatch = 64) {
    this.batches = new NaturalBatches(
      (runIds) =>
        advanceMany(res, runIds).catch((err: unknown) => {
          res.logger.warn({ err, runs: runIds.length }, 'unlocked transitions failed; taking the run locks');
          return runIds.map((): UnlockedOutcome => LOCK);
        }),
      { maxBatch },
    );
  }

  advance(runId: string): Promise<UnlockedOutcome> {
    return this.batches.add(runId);
  }
}

type ReadRun = StoredRun & { settled: SettledStep[] | null };
type Decided = { write: TransitionWrite } | { done: undefined } | typeof LOCK;

async function advanceMany(res: OrchestratorResources, runIds: string[]): Promise<UnlockedOutcome[]> {
  const client = await res.pool.connect();
  try {
    markRuns('orch.reading', runIds);
    const byId = new Map((await readRunsForTransition(client, runIds)).map((r) => [r.id, r]));
    markRuns('orch.read', runIds);
    // A run twice in one batch (duplicate jobs): its first transition decides, the others take the lock.
    const seen = new Set<string>();
    const first = (id: string) => !seen.has(id) && seen.add(id) !== undefined;
    // One after the other: deciding is synchronous, and the client runs one statement at a time anyway.
    const decided: Decided[] = [];
    for (const id of runIds) decided.push(await decideUnlocked(res, client, first(id) ? byId.get(id) : undefined));
    markRuns('orch.decided', runIds);
    const writes = decided.flatMap((d) => (typeof d === 'object' && 'write' in d ? [d.write] : []));
    const written = writes.length === 0 ? [] : await writeTransitions(client, writes).catch((err: unknown) => {
      res.logger.warn({ err, runs: writes.length }, 'batched unlocked write failed; taking the run locks');
      return writes.map(() => null);
    });
    if (hopsTraced()) markRuns('orch.written', writes.map((w) => w.runId));
    const outboxOf = new Map(writes.map((w, i) => [w, written[i]]));
    return decided.map((d): UnlockedOutcome => {
      if (d === LOCK || !('write' in d)) return d;
      const outboxIds = outboxOf.get(d.write);
      // Refused by its guard (the run moved on since the read): nothing of it was written.
      if (!outboxIds) return LOCK;
      const run = byId.get(d.write.runId);
      return { done: { outboxIds, jobs: [...d.write.jobs], abortStepIds: [], events: liveEvents(d.write.events), ...(run ? { run: runFacts(run), trace: traceOf(run, d.write.status) } : {}) } };
    });
  } finally {
    client.release();
  }
}

/** Bench `hops`: where a run's unlocked transition is (a run start's split, bench/src/start-hop-table.ts). */
function markRuns(event: string, runIds: readonly string[]) {
  if (hopsTraced()) for (const id of runIds) markHop(event, id, '');
}

/** Decides one run read without its lock: a write for the batch, nothing, or the lock. Only the outputs may be read on the way (a plain read). */
async function decideUnlocked(res: OrchestratorResources, client: PoolClient, run: ReadRun | undefined): Promise<Decided> {
  if (!run || run.retry_request || run.cancel_requested_at) return LOCK;
  try {
    const graph = await res.graphs.get(run.workflow_version_id, run.body_path, client);
    const settled = run.settled ?? [];
    const reads: Reads = {};
    for (;;) {
      const plan = decide(snapshotOf(run, settled, reads), graph, decideEnv(res));
      if (plan.kind === 'needs') {
        if (reads.outputs || plan.reads.some((r) => r.read !== 'outputs')) return LOCK;
        reads.outputs = await loadOutputs(client, run.id);
        continue;
      }
      // Settled steps that changed nothing (late results, stale attempts) are left for the lock to mark applied.
      if (plan.kind === 'nothing') return settled.length > 0 ? LOCK : { done: undefined };
      if (plan.effects.length > 0 || !plan.write) return LOCK;
      return { write: { ...plan.write, guardSeq: run.last_seq, applied: settled.map((s) => s.id) } };
    }
  } catch (err) {
    res.logger.warn({ err, runId: run.id }, 'unlocked transition failed; taking the run lock');
    return LOCK;
  }
}
