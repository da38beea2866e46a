import type { Logger } from '@weft/logger';
import { markHop, type JobEnvelope } from '@weft/queue';
import {
  completeAndReadRun,
  completeWithTransition,
  writeTransitionsWithSuccessors,
  type ClaimedStep,
  type CompletedWithRun,
  type CompletedWithTransition,
  type GraphCache,
  type HeldStep,
  type Outboxed,
  type SettledStep,
  type StepResult,
  type StepRow,
  type StoredRun,
  type TransitionWrite,
  type WrittenTransition,
} from '@weft/run-store';
import type { WorkflowGraph } from '@weft/engine';
import type { Pool } from 'pg';
import { decide } from '../decide';
import type { GuardedWrites } from './guarded-writes';
import { decideEnv, liveEvents, runFacts, snapshotOf, traceOf, type OrchestratorResources, type TransitionResult } from './resources';
import { firstIterationWrite, successorLoopOf, successorRun } from './successors';

/** What the executor lends the transition it makes where a step ran. */
export type SettleResources = Pick<OrchestratorResources, 'inlinePureSteps' | 'limits' | 'random'> & {
  pool: Pool;
  graphs: GraphCache;
  logger: Logger;
  /** Batches the guarded writes of concurrent completions (one statement per batch); without it each writes alone. */
  writes?: GuardedWrites;
  /** A step claimed by this process's own write (`SettlingStep.known`): completion and transition in one statement (default true). */
  oneStatement?: boolean;
  /** An iteration that succeeds here starts its loop's next pending iteration in its own write (default true), for every org or per org (a feature flag). */
  successors?: boolean | ((orgId: string) => boolean);
};

/** The next step to run in this process at once, if the transition starts one the caller takes. */
export interface EagerClaim {
  /** Whether the caller takes a step of this node type now (it runs it, under a free slot). */
  take: (row: StepRow) => boolean;
  /** The lease the claim holds and the deadline of steps without a timeout (ms), as `claimStep` sets them. */
  leaseMs: number;
  defaultTimeoutMs: number;
}

/**
 * How a completion ended: stale (the fence was lost: nothing written); settled in place (the run's
 * transition written with it: its jobs and events to hand on, and maybe the next step, already
 * claimed for this process); or handed over (the step-settled job, for the orchestrator).
 */
export type SettleOutcome =
  | { kind: 'stale' }
  | { kind: 'settled'; transition: TransitionResult; eager: KnownStep | undefined }
  | { kind: 'handed-over'; settledJob: Outboxed };

/** The step as its worker holds it: the fence it claimed, and the row's node and attempt. */
export type SettlingStep = HeldStep & { runId: string; nodeId: string; nodeType: string; attempt: number; known?: KnownRun };

/**
 * The run as this process's own transition wrote it, kept with the step that write claimed here:
 * when that step ends, its transition is decided from it and written with the completion in one
 * statement, guarded (`settleAsKnown`).
 */
export interface KnownRun {
  run: StoredRun;
  /** The latest output of every node that has one, as the claimed step was given them. */
  outputs: Record<string, unknown>;
}

/** A step claimed for this process by a transition written here, with the run as that write left it. */
export type KnownStep = ClaimedStep & { known?: KnownRun };

/**
 * Completes a step and applies the run's transition where the step ran, with no queue hop: in ONE
 * statement when this process's own transition claimed the step (`SettlingStep.known`: see
 * `settleAsKnown`), else (and whenever the run is not as known) in two autocommitted statements:
 *
 * 1. the fenced completion, its usage rows and the outbox row of its step-settled job, with the
 *    run, its settled steps and its outputs read in the same round trip (`completeAndReadRun`);
 * 2. `decide` (pure), then the unlocked transition's ONE guarded write (`writeTransitions` with
 *    the run's sequence as read; concurrent completions share it through `GuardedWrites`): the next step rows with their outbox rows, the settled steps
 *    marked applied, and the step-settled outbox row deleted, all only if the run did not move.
 *
 * Any other case hands the step over to the orchestrator exactly as before (the step-settled job,
 * whose outbox row statement 1 committed): a plan that needs the run lock (effects, reads of
 * timers, loops, children), a cancel or retry request, a guarded write that lost to another
 * writer, an error. A process that dies between the two statements leaves that outbox row,
 * which the relay publishes. Nothing here is ever applied twice: the write marks the steps
 * applied under the same guard, so the orchestrator's later transition finds nothing new.
 *
 * With `eager`, an executor step the transition starts (no delay, a node type the caller takes)
 * is written claimed (running, fence 1, lease, deadline) and returned for the caller to run at
 * once: no job, no claim statement. The lease covers it as any claimed step (renewal, sweeper).
 *
 * An iteration that succeeds here hands its slot to its loop's next pending item in the same
 * write (`successorOf`: pending → queued, rows another transaction holds skipped), then writes
 * that iteration's first transition as its own unlocked transition would (a third statement,
 * guarded), its first executor step claimed for the caller: a loop's items go on from slot to
 * slot with no parent transition, start job, execute-step job or claim of their own. A process
 * that dies between the two writes leaves the successor `queued` and unstarted, which the
 * reconciler starts (as any run whose start job is missing). The parent is not woken by an end
 * that handed its slot on (its `child-settled` job is left out of that write): it counts every
 * end when the chain of successors ends (an iteration that finds no pending item, or fails).
 */
export async function settleInPlace(res: SettleResources, step: SettlingStep, result: StepResult, eager?: EagerClaim): Promise<SettleOutcome> {
  const presumed = step.known && res.oneStatement !== false ? await settleAsKnown(res, step, step.known, result, eager) : undefined;
  if (presumed && presumed.kind !== 'read') return presumed.outcome;
  const read = presumed ? presumed.read : await completeAndReadRun(res.pool, step, result);
  markHop('exec.read', step.runId, step.id);
  if (!read) return { kind: 'stale' };
  return settleFromRead(res, step, result, read, eager);
}

/** The step as the run's transition is given it. */
const settledOf = (step: SettlingStep, result: StepResult): SettledStep => ({
  id: step.id, node_id: step.nodeId, node_type: step.nodeType, attempt: step.attempt, status: result.status, error: result.error, handle: result.handle,
});

/** `outputs` with the step's, when it succeeded. */
function withOutput(outputs: Record<string, unknown>, step: SettlingStep, result: StepResult): Record<string, unknown> {
  const all = { ...outputs };
  if (result.status === 'succeeded') all[step.nodeId] = result.outputJson === null ? null : JSON.parse(result.outputJson);
  return all;
}

/**
 * The completion and the transition in ONE statement (`completeWithTransition`), decided from the
 * run as this process's own write left it (`KnownRun`, kept with the step that write claimed
 * here): the common case of a chain, where nothing else touched the run meanwhile. The statement
 * writes the transition only if the run is still as known (same sequence, no cancel or retry
 * request, no other step settled); else it writes the completion alone and reads the run, and the
 * transition is decided again from what it read (`read`). A plan that is not one plain write
 * (effects, reads) is left to the read path: nothing is written here (undefined); so is a
 * completion that comes while this process writes others (`GuardedWrites.alone`): in a burst the
 * read path's guarded writes share statements, which one statement per completion cannot.
 */
async function settleAsKnown(res: SettleResources, step: SettlingStep, known: KnownRun, result: StepResult, eager: EagerClaim | undefined): Promise<{ kind: 'done'; outcome: SettleOutcome } | { kind: 'read'; read: CompletedWithRun } | undefined> {
  // Others are being written: this completion joins their batches (no decision made for nothing).
  if (res.writes?.busy) return undefined;
  const { run } = known;
  markHop('exec.read', step.runId, step.id); // nothing to read: the run is known
  let graph: WorkflowGraph, outputs: Record<string, unknown>, write: TransitionWrite, claimed: { row: StepRow } | undefined, done: CompletedWithTransition | undefined;
  try {
    graph = await res.graphs.get(run.workflow_version_id, run.body_path);
    outputs = withOutput(known.outputs, step, result);
    const planned = plainWrite(res, run, graph, [settledOf(step, result)], outputs, { applied: [] }, eager);
    if (!planned) return undefined;
    ({ write, claimed } = planned);
    markHop('exec.decided', step.runId, step.id);
    const one = () => completeWithTransition(res.pool, step, result, write);
    done = res.writes ? await res.writes.alone(one) : await one();
  } catch (err) {
    // Nothing of the statement was written (it commits whole or not at all; after a lost answer,
    // the read path's fenced completion finds the step ended and calls it stale): the read path
    // writes the completion, so the step's result is never lost to an error here.
    res.logger.warn({ err, runId: run.id, stepId: step.id }, 'settling the step in one statement failed; completing it with the run read');
    return undefined;
  }
  if (!done) return undefined; // other writes are under way: this one joins their batches (the read path)
  if (done.kind === 'stale') return { kind: 'done', outcome: { kind: 'stale' } };
  if (done.kind === 'read') return done;
  markHop('exec.written', step.runId, step.id);
  return { kind: 'done', outcome: await settledOutcome(res, run, graph, outputs, write, claimed, done.written, eager) };
}

/**
 * The read path: the completion was written with the run read in the same statement; `decide`
 * (pure), then the unlocked transition's ONE guarded write, or the hand-over to the orchestrator.
 */
async function settleFromRead(res: SettleResources, step: SettlingStep, result: StepResult, read: CompletedWithRun, eager: EagerClaim | undefined): Promise<SettleOutcome> {
  const handOver: SettleOutcome = { kind: 'handed-over', settledJob: read.settledJob };
  const { run } = read;
  // What the unlocked transition leaves to the lock (the orchestrator's path).
  if (run.retry_request || run.cancel_requested_at || run.state === null) return handOver;
  try {
    const graph = await res.graphs.get(run.workflow_version_id, run.body_path);
    const settled = [...(run.settled ?? []), settledOf(step, result)];
    // The outputs as read (before this completion), with this step's: what `loadOutputs` reads after it.
    const outputs = withOutput(run.outputs ?? {}, step, result);
    const planned = plainWrite(res, run, graph, settled, outputs, { applied: settled.map((s) => s.id), dropOutbox: read.settledJob.ids }, eager);
    if (!planned) return handOver;
    const { write, claimed } = planned;
    markHop('exec.decided', step.runId, step.id);
    const written = await writeOne(res, write);
    markHop('exec.written', step.runId, step.id);
    // Refused by its guard (another writer moved the run on): nothing of it was written.
    if (!written.outboxIds) return handOver;
    return await settledOutcome(res, run, graph, outputs, write, claimed, written, eager);
  } catch (err) {
    res.logger.warn({ err, runId: run.id, stepId: step.id }, 'settling the step in place failed; handed over to the orchestrator');
    return handOver;
  }
}

/**
 * `decide` on the run as read or known; for a plan that is one plain write (no effects, no reads),
 * that write guarded by the run's sequence (with `applied`/`dropOutbox`) as it goes out. Else undefined.
 */
function plainWrite(
  res: SettleResources, run: StoredRun, graph: WorkflowGraph, settled: readonly SettledStep[], outputs: Record<string, unknown>,
  guard: Pick<TransitionWrite, 'applied' | 'dropOutbox'>, eager: EagerClaim | undefined,
): { write: TransitionWrite; claimed: { row: StepRow } | undefined } | undefined {
  const plan = decide(snapshotOf(run, settled, { outputs }), graph, decideEnv(res));
  if (plan.kind !== 'write' || plan.effects.length > 0 || !plan.write) return undefined;
  return finalWrite(res, run, { ...plan.write, guardSeq: run.last_seq, ...guard }, eager);
}

/** The plan's write as it goes out: with the loop successor it starts, and the next step claimed for the caller (`eager`). */
function finalWrite(res: SettleResources, run: StoredRun, ended: TransitionWrite, eager: EagerClaim | undefined): { write: TransitionWrite; claimed: { row: StepRow } | undefined } {
  const successorsOn = typeof res.successors === 'function' ? res.successors(run.org_id) : res.successors !== false;
  const successorOf = successorsOn ? successorLoopOf(run, ended) : undefined;
  const write = successorOf ? { ...ended, successorOf } : ended;
  const claimed = eager ? claimNext(write, eager) : undefined;
  return { write: claimed?.write ?? write, claimed };
}

/** A written transition as the caller hands it on: its jobs and events, and the step it claimed for the caller (with the run as the write left it). */
async function settledOutcome(res: SettleResources, run: StoredRun, graph: WorkflowGraph, outputs: Record<string, unknown>, write: TransitionWrite, claimed: { row: StepRow } | undefined, written: WrittenTransition, eager: EagerClaim | undefined): Promise<SettleOutcome> {
  const transition: TransitionResult = { outboxIds: written.outboxIds!, jobs: written.jobs, abortStepIds: [], events: liveEvents(write.events), run: runFacts(run), trace: traceOf(run, write.status) };
  let next = claimed && eager && claimedStep(run, claimed.row, write, outputsAfter(outputs, write.steps), eager.defaultTimeoutMs);
  for (const row of written.successors) next = (await startSuccessor(res, successorRun(run, row), graph, transition, next ? undefined : eager)) ?? next;
  return { kind: 'settled', transition, eager: next };
}

/**
 * The run as `write` leaves it, for the completion of the step it claimed here: its new state,
 * sequence and status, no settled step left unapplied, no retry request (the write clears it),
 * and the outputs the step sees (its own copy: the step's context gets another). None when the
 * write set the run's deadline (computed by Postgres) or ended the run.
 */
function knownAfter(run: StoredRun, write: TransitionWrite, outputs: Record<string, unknown>): KnownRun | undefined {
  if (write.timeoutMs !== null || write.completion !== undefined) return undefined;
  return { run: { ...run, state: JSON.stringify(write.state), last_seq: write.lastSeq, status: write.status, retry_request: null }, outputs: { ...outputs } };
}

/** One guarded write, batched with concurrent ones when the caller batches. */
async function writeOne(res: SettleResources, write: TransitionWrite): Promise<WrittenTransition> {
  return res.writes ? res.writes.write(write) : (await writeTransitionsWithSuccessors(res.pool, [write]))[0]!;
}

/**
 * Writes the first transition of an iteration this process started (guarded by its sequence: a
 * start job of the reconciler may have been first), adding what it hands on to `into`; its first
 * executor step claimed for the caller with `eager`. Failures leave it to its start job.
 */
async function startSuccessor(res: SettleResources, run: StoredRun, graph: WorkflowGraph, into: TransitionResult, eager: EagerClaim | undefined): Promise<KnownStep | undefined> {
  try {
    const first = firstIterationWrite(res, run, graph);
    if ('job' in first) {
      into.jobs.push(first.job); // no outbox row: if this publish is lost, the reconciler starts the queued run
      return undefined;
    }
    const claimed = eager ? claimNext(first.write, eager) : undefined;
    const final = claimed?.write ?? first.write;
    const { outboxIds, jobs } = await writeOne(res, final);
    if (!outboxIds) return undefined;
    into.outboxIds.push(...outboxIds);
    into.jobs.push(...jobs);
    (into.otherRuns ??= []).push({ runId: run.id, events: liveEvents(final.events) });
    return claimed && eager && claimedStep(run, claimed.row, final, outputsAfter({}, final.steps), eager.defaultTimeoutMs);
  } catch (err) {
    res.logger.warn({ err, runId: run.id }, 'starting an iteration where its sibling ended failed; the reconciler starts it');
    return undefined;
  }
}

/**
 * The first step the write queues without delay that the caller takes, written claimed instead
 * (running, fence 1, lease, deadline), and its execute-step job left out.
 */
function claimNext(write: TransitionWrite, eager: EagerClaim): { write: TransitionWrite; row: StepRow } | undefined {
  const jobOf = new Map(write.jobs.filter((j) => j.name === 'execute-step' && !j.delayMs).map((j) => [(j as JobEnvelope<'execute-step'>).payload.stepId, j]));
  const row = write.steps.find((s) => s.status === 'queued' && jobOf.has(s.id) && eager.take(s));
  if (!row) return undefined;
  const job = jobOf.get(row.id)!;
  const claimedRow: StepRow = { ...row, status: 'running', startedAt: row.availableAt, claim: { leaseMs: eager.leaseMs, deadlineMs: row.timeoutMs ?? eager.defaultTimeoutMs } };
  return {
    row: claimedRow,
    write: { ...write, steps: write.steps.map((s) => (s === row ? claimedRow : s)), jobs: write.jobs.filter((j) => j !== job) },
  };
}

/** The outputs the next step sees: those known to the decision, then the outputs of the rows it wrote (inline steps), in order. */
function outputsAfter(outputs: Record<string, unknown>, rows: readonly StepRow[]): Record<string, unknown> {
  const after = { ...outputs };
  // As OUTPUT_ROW reads the table: succeeded rows, and failed rows whose failure was caught (their output is the error).
  for (const r of rows) {
    if (r.status === 'succeeded') after[r.nodeId] = r.output === null ? null : JSON.parse(r.output);
    else if (r.status === 'failed' && r.output !== null) after[r.nodeId] = JSON.parse(r.output);
  }
  return after;
}

/** The claimed step as `claimStep` would have returned it, with the run as `write` left it (`KnownRun`). */
function claimedStep(run: StoredRun, row: StepRow, write: TransitionWrite, outputs: Record<string, unknown>, defaultTimeoutMs: number): KnownStep {
  return {
    known: knownAfter(run, write, outputs),
    id: row.id,
    org_id: run.org_id,
    run_id: run.id,
    node_id: row.nodeId,
    attempt: row.attempt,
    fence: 1,
    inputs: run.inputs,
    workflow_id: run.workflow_id,
    workflow_version_id: run.workflow_version_id,
    kind: run.kind,
    body_path: run.body_path,
    created_by: run.created_by,
    trace_parent: run.trace_parent ?? null,
    timeout_ms: row.timeoutMs ?? defaultTimeoutMs,
    outputs,
    pinned: run.pinned_outputs && Object.hasOwn(run.pinned_outputs, row.nodeId) ? { output: run.pinned_outputs[row.nodeId] } : null,
  };
}
