import { outboxParams, publishOutbox, stepParams, withTx, type LiveEvent } from '@weft/run-store';
import { RunCursor, isFinished, type EngineEvent, type RunState, type WorkflowGraph } from '@weft/engine';
import type { PoolClient } from 'pg';
import { applyCommands } from './commands';
import { EventLog } from './event-log';
import { fireDueTimers, runEvents, settledSteps } from './inputs';
import { progressLoops } from './loops';
import { Transition, type OrchestratorResources, type RunRow } from './transition-context';
import { READ_RUN, TOUCH_RUN, WRITE_TRANSITION, eventArrays, jsonOrNull, runStatus } from './transition-sql';

export type { OrchestratorResources } from './transition-context';

/** Control steps settle inline (a delay that cannot start fails at once): bound the rounds. */
const MAX_ROUNDS = 100;

/**
 * Folds everything that happened to a run since its last transition (start, retry, cancel,
 * deadline, timers, settled steps, loop progress) into its state, in one transaction under the
 * run's row lock: per-run order with any number of orchestrators, different runs in parallel.
 * Idempotent: a duplicate job finds nothing new and changes nothing.
 *
 * `fresh` (the run's start job) first tries the start without a transaction (see `startUnlocked`).
 */
export async function advanceRun(res: OrchestratorResources, runId: string, opts: { fresh?: boolean } = {}): Promise<void> {
  const unlocked = opts.fresh ? await startUnlocked(res, runId) : FALL_BACK;
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
  const result = await transition(res, run, { c, write: c, startGuard: false });
  if (result === FALL_BACK) throw new Error(`run ${runId}: the locked transition was not applied`);
  return result;
}

const FALL_BACK = Symbol('take the run lock');
class NeedsLock extends Error {}

/**
 * The start of a new run whose whole first transition is decided in memory (pure steps inline,
 * executor steps queued): read the row without a lock, decide, and write everything with ONE
 * autocommitted statement that applies only if the run is still unstarted at the sequence read
 * (a concurrent start makes it change nothing). Three round trips fewer than BEGIN, SELECT … FOR
 * UPDATE, write, COMMIT. Anything else (a statement needed mid-transition: control nodes,
 * loops, a cancel or retry already requested) falls back to the locked transition, having
 * written nothing.
 */
async function startUnlocked(res: OrchestratorResources, runId: string) {
  const client = await res.pool.connect();
  try {
    const {
      rows: [run],
    } = await client.query<RunRow>({ name: 'weft_orch_read_run', text: READ_RUN, values: [runId] });
    if (!run || run.state !== null || run.retry_request || run.cancel_requested_at) return FALL_BACK;
    return await transition(res, run, { c: noQueries(client), write: client, startGuard: true });
  } catch (err) {
    if (err instanceof NeedsLock) return FALL_BACK;
    throw err;
  } finally {
    client.release();
  }
}

/** The client as the transition sees it when it must not issue statements of its own. */
function noQueries(client: PoolClient): PoolClient {
  return new Proxy(client, {
    get: (target, prop, receiver) => (prop === 'query' ? () => Promise.reject(new NeedsLock()) : Reflect.get(target, prop, receiver)),
  });
}

interface TransitionIo {
  /** What the transition's own statements go through. */
  c: PoolClient;
  /** Where the final write goes. */
  write: PoolClient;
  /** The final write applies only to a run still unstarted at the sequence read (unlocked start). */
  startGuard: boolean;
}

async function transition(res: OrchestratorResources, run: RunRow, io: TransitionIo) {
  const { c } = io;
  const graph = await res.graphs.get(run.workflow_version_id, run.body_path, io.write); // a read: fine outside the lock
  const t = new Transition(c, res, run, graph, new EventLog(run.last_seq));
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
    await t.flushSteps();
    return undefined;
  }
  const jobs = outboxParams(t.jobs);
  let outboxIds: string[];
  if (state && t.log.rows.length > 0) {
    const timeoutMs = graph.settings.timeoutMs;
    // One statement: the run's new state, its events, its new step rows and the outbox rows of its jobs.
    const { rows: [written] } = await io.write.query<{ applied: boolean; outbox_ids: string[] }>({
      name: 'weft_orch_write_transition',
      text: WRITE_TRANSITION,
      values: [
        run.id, JSON.stringify(state), t.log.lastSeq, runStatus(state), startedNow && timeoutMs ? timeoutMs : null, run.org_id,
        ...eventArrays(t.log), ...jobs, ...stepParams(t.takeStagedSteps()),
        t.completion !== undefined, jsonOrNull(t.completion?.output), jsonOrNull(t.completion?.error),
        io.startGuard ? run.last_seq : null,
      ],
    });
    if (!written?.applied) return FALL_BACK; // an unlocked start lost to a concurrent one: nothing was written
    outboxIds = written.outbox_ids;
  } else {
    if (io.startGuard) return FALL_BACK;
    await t.flushSteps();
    const written = await c.query<{ id: string }>({ name: 'weft_orch_touch_run', text: TOUCH_RUN, values: [run.id, run.org_id, ...jobs] });
    outboxIds = written.rows.map((r) => r.id);
  }
  const events: LiveEvent[] = t.log.rows.map((e) => ({ seq: e.seq, type: e.type, nodeId: e.nodeId, stepId: e.stepId, data: e.data, createdAt: new Date().toISOString() }));
  return { outboxIds, jobs: t.jobs, abortStepIds: t.abortStepIds, events };
}

const TIMER_NODES: ReadonlySet<string> = new Set(['delay', 'wait_for_approval']);
const LOOP_NODES: ReadonlySet<string> = new Set(['for_each']);

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
