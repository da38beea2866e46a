import type { Logger } from '@weft/logger';
import { markHop, type JobEnvelope } from '@weft/queue';
import {
  completeAndReadRun,
  writeTransitionsWithSuccessors,
  type ClaimedStep,
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
  | { kind: 'settled'; transition: TransitionResult; eager: ClaimedStep | undefined }
  | { kind: 'handed-over'; settledJob: Outboxed };

/** The step as its worker holds it: the fence it claimed, and the row's node and attempt. */
export type SettlingStep = HeldStep & { runId: string; nodeId: string; nodeType: string; attempt: number };

/**
 * Completes a step and applies the run's transition where the step ran, in two autocommitted
 * statements and no queue hop:
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
  const read = await completeAndReadRun(res.pool, step, result);
  markHop('exec.read', step.runId, step.id);
  if (!read) return { kind: 'stale' };
  const handOver: SettleOutcome = { kind: 'handed-over', settledJob: read.settledJob };
  const { run } = read;
  // What the unlocked transition leaves to the lock (the orchestrator's path).
  if (run.retry_request || run.cancel_requested_at || run.state === null) return handOver;
  try {
    const graph = await res.graphs.get(run.workflow_version_id, run.body_path);
    const own: SettledStep = { id: step.id, node_id: step.nodeId, node_type: step.nodeType, attempt: step.attempt, status: result.status, error: result.error, handle: result.handle };
    const settled = [...(run.settled ?? []), own];
    // The outputs as read (before this completion), with this step's: what `loadOutputs` reads after it.
    const outputs = { ...(run.outputs ?? {}) };
    if (result.status === 'succeeded') outputs[step.nodeId] = result.outputJson === null ? null : JSON.parse(result.outputJson);
    const plan = decide(snapshotOf(run, settled, { outputs }), graph, decideEnv(res));
    if (plan.kind !== 'write' || plan.effects.length > 0 || !plan.write) return handOver;
    const ended: TransitionWrite = { ...plan.write, guardSeq: run.last_seq, applied: settled.map((s) => s.id), dropOutbox: read.settledJob.ids };
    const successorsOn = typeof res.successors === 'function' ? res.successors(run.org_id) : res.successors !== false;
    const successorOf = successorsOn ? successorLoopOf(run, ended) : undefined;
    const write = successorOf ? { ...ended, successorOf } : ended;
    const claimed = eager ? claimNext(write, eager) : undefined;
    markHop('exec.decided', step.runId, step.id);
    const final = claimed?.write ?? write;
    const { outboxIds, jobs, successors } = await writeOne(res, final);
    markHop('exec.written', step.runId, step.id);
    // Refused by its guard (another writer moved the run on): nothing of it was written.
    if (!outboxIds) return handOver;
    const transition: TransitionResult = { outboxIds, jobs, abortStepIds: [], events: liveEvents(final.events), run: runFacts(run), trace: traceOf(run, final.status) };
    let next = claimed && eager && claimedStep(run, claimed.row, outputsAfter(outputs, final.steps), eager.defaultTimeoutMs);
    for (const row of successors) next = (await startSuccessor(res, successorRun(run, row), graph, transition, next ? undefined : eager)) ?? next;
    return { kind: 'settled', transition, eager: next };
  } catch (err) {
    res.logger.warn({ err, runId: run.id, stepId: step.id }, 'settling the step in place failed; handed over to the orchestrator');
    return handOver;
  }
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
async function startSuccessor(res: SettleResources, run: StoredRun, graph: WorkflowGraph, into: TransitionResult, eager: EagerClaim | undefined): Promise<ClaimedStep | undefined> {
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
    return claimed && eager && claimedStep(run, claimed.row, outputsAfter({}, final.steps), eager.defaultTimeoutMs);
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
  for (const r of rows) if (r.status === 'succeeded') after[r.nodeId] = r.output === null ? null : JSON.parse(r.output);
  return after;
}

/** The claimed step as `claimStep` would have returned it. */
function claimedStep(run: StoredRun, row: StepRow, outputs: Record<string, unknown>, defaultTimeoutMs: number): ClaimedStep {
  return {
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
