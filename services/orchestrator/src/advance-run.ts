import { outboxParams, publishOutbox, withTx, type LiveEvent } from '@weft/run-store';
import { RunCursor, isFinished, type EngineEvent, type RunState, type WorkflowGraph } from '@weft/engine';
import type { PoolClient } from 'pg';
import { applyCommands } from './commands';
import { EventLog } from './event-log';
import { fireDueTimers, runEvents, settledSteps } from './inputs';
import { progressLoops } from './loops';
import { Transition, type OrchestratorResources, type RunRow } from './transition-context';
import { READ_RUN, TOUCH_RUN, runStatus } from './transition-sql';
import { UnlockedBatcher } from './unlocked-batch';
import { FALL_BACK, writeTransition, type TransitionIo, type TransitionResult } from './transition-write';
import { typesOfKind, typesWith } from '@weft/workflow-schema';

export type { OrchestratorResources } from './transition-context';

/** Control steps settle inline (a delay that cannot start fails at once): bound the rounds. */
const MAX_ROUNDS = 100;

/**
 * Folds everything that happened to a run since its last transition (start, retry, cancel,
 * deadline, timers, settled steps, loop progress) into its state, in one transaction under the
 * run's row lock: per-run order with any number of orchestrators, different runs in parallel.
 * Idempotent: a duplicate job finds nothing new and changes nothing.
 *
 * `unlocked` (a start job, a settled step's job) first tries the transition without a transaction
 * and row lock, writing only if the run did not change meanwhile (see `UnlockedBatcher`).
 */
export async function advanceRun(res: OrchestratorResources, runId: string, opts: { unlocked?: boolean } = {}): Promise<void> {
  const unlocked = opts.unlocked ? await unlockedBatcher(res).advance(runId) : FALL_BACK;
  const result = unlocked === FALL_BACK ? await withTx(res.pool, (c) => lockedTransition(res, c, runId)) : unlocked;
  if (!result) return;
  await publishOutbox(res.pool, res.queues, result.outboxIds, result.jobs, res.logger, res.outboxDeletes);
  if (res.bus) {
    await res.bus.publishCancel(result.abortStepIds);
    await res.bus.publishRunEvents(runId, result.events);
  }
}

async function lockedTransition(res: OrchestratorResources, c: PoolClient, runId: string) {
  const {
    rows: [run],
  } = await c.query<RunRow>({ name: 'weft_orch_lock_run', text: `${READ_RUN} FOR UPDATE`, values: [runId] });
  if (!run) return undefined;
  if (run.state && isFinished(run.state) && !run.retry_request) {
    // Late results of a finished run change nothing; mark them so they are not read again.
    await c.query(`UPDATE run_steps SET applied = true WHERE run_id = $1 AND applied = false AND status IN ('succeeded', 'failed')`, [runId]);
    return undefined;
  }
  const result = await transition(res, run, { c, reads: c, write: (w) => writeTransition(c, w) });
  if (result === FALL_BACK) throw new Error(`run ${runId}: the locked transition was not applied`);
  return result;
}

const batchers = new WeakMap<OrchestratorResources, UnlockedBatcher>();
/** One batcher per set of resources (per orchestrator), made on first use. */
function unlockedBatcher(res: OrchestratorResources): UnlockedBatcher {
  let b = batchers.get(res);
  if (!b) batchers.set(res, (b = new UnlockedBatcher(res, transition)));
  return b;
}

async function transition(res: OrchestratorResources, run: RunRow, io: TransitionIo): Promise<TransitionResult | undefined | typeof FALL_BACK> {
  const { c } = io;
  const graph = await res.graphs.get(run.workflow_version_id, run.body_path, io.reads); // a read: fine outside the lock
  const t = new Transition(c, res, run, graph, new EventLog(run.last_seq), io.reads, io.unlocked);
  let state: RunState | null = run.state;
  const startedNow = !state;
  // One cursor for the whole transition, writing in place the state just read from the row (no copy).
  const cursor = new RunCursor(graph, state, { adopt: true });

  for (let round = 0; round < MAX_ROUNDS; round++) {
    const inputs: { event: EngineEvent; stepId: string | null; approval?: string }[] = round === 0 ? runEvents(t).map((event) => ({ event, stepId: null })) : [];
    if (state && !isFinished(state)) {
      // Only nodes the engine has dispatched can have rows: skip the look-ups a graph cannot need.
      if (hasDispatched(graph, state, TIMER_NODES)) await fireDueTimers(t);
      if (hasDispatched(graph, state, LOOP_NODES)) await progressLoops(t);
    } else if (round > 0) {
      // Finished in this transition: late results change nothing; the next transition marks them.
      break;
    }
    inputs.push(...t.takeInlineSettled(), ...(await settledSteps(t)));
    if (inputs.length === 0) break;
    for (const { event, stepId, approval } of inputs) {
      const next = cursor.apply(event);
      if (!next.changed) continue; // stale or duplicate: nothing to record
      if (approval) t.log.push('approval.resolved', { decision: approval }, 'nodeId' in event ? event.nodeId : null, stepId);
      t.log.input(event, stepId);
      state = cursor.state!;
      await applyCommands(t, state, next.commands);
    }
  }
  await t.releaseInline();
  if (run.retry_request && t.log.rows.length === 0) await c.query('UPDATE runs SET retry_request = NULL WHERE id = $1', [run.id]);
  // Loop progress may start iterations without any event of this run: publish those jobs too,
  // and mark the run as moving so the reconciler does not take it for idle.
  if (t.jobs.length === 0 && t.log.rows.length === 0) {
    // Unlocked, settled steps that changed nothing are left for the lock to mark applied.
    if (t.appliedSettled.length > 0) return FALL_BACK;
    await t.flushSteps();
    return undefined;
  }
  let outboxIds: string[];
  if (state && t.log.rows.length > 0) {
    const timeoutMs = graph.settings.timeoutMs;
    const written = await io.write({
      runId: run.id,
      orgId: run.org_id,
      state,
      lastSeq: t.log.lastSeq,
      status: runStatus(state),
      timeoutMs: startedNow && timeoutMs ? timeoutMs : null,
      completion: t.completion,
      events: t.log.rows,
      steps: t.takeStagedSteps(),
      jobs: t.jobs,
      guardSeq: io.unlocked ? run.last_seq : null,
      applied: t.appliedSettled,
    });
    if (written === FALL_BACK) return FALL_BACK; // an unlocked start lost to a concurrent one: nothing was written
    outboxIds = written;
  } else {
    if (io.unlocked) return FALL_BACK;
    await t.flushSteps();
    const written = await c.query<{ id: string }>({ name: 'weft_orch_touch_run', text: TOUCH_RUN, values: [run.id, run.org_id, ...outboxParams(t.jobs)] });
    outboxIds = written.rows.map((r) => r.id);
  }
  const events: LiveEvent[] = t.log.rows.map((e) => ({ seq: e.seq, type: e.type, nodeId: e.nodeId, stepId: e.stepId, data: e.data, createdAt: new Date().toISOString() }));
  return { outboxIds, jobs: t.jobs, abortStepIds: t.abortStepIds, events };
}

/** Types whose steps park as `waiting` (due timers to fire) and loop types (iterations to move on), from the catalog's kinds. */
const TIMER_NODES = typesWith('parks');
const LOOP_NODES = typesOfKind('loop');

/** Whether the engine ever dispatched a node of these types in this run (only those can have step rows). */
function hasDispatched(graph: WorkflowGraph, state: RunState, types: ReadonlySet<string>): boolean {
  if (!graphHas(graph, types)) return false; // most graphs: no scan of the run's nodes each round
  for (const nodeId of Object.keys(state.nodes)) if (types.has(graph.nodes.get(nodeId)?.type ?? '')) return true;
  return false;
}

const typesOfGraph = new WeakMap<WorkflowGraph, ReadonlySet<string>>();
/** Whether the graph holds a node of one of these types (graphs are immutable: computed once each). */
function graphHas(graph: WorkflowGraph, types: ReadonlySet<string>): boolean {
  let present = typesOfGraph.get(graph);
  if (!present) typesOfGraph.set(graph, (present = new Set([...graph.nodes.values()].map((n) => n.type))));
  for (const t of types) if (present.has(t)) return true;
  return false;
}
