import { RunCursor, isFinished, type RunState, type WorkflowGraph } from '@weft/engine';
import { typesOfKind, typesWith } from '@weft/workflow-schema';
import { applyCommands } from './commands';
import { Decision, type Input } from './decision';
import { runEvents, settledInputs } from './inputs';
import { progressLoops } from './loops';
import { fireDueTimers } from './timers';
import type { DecideEnv, Plan, RunSnapshot } from './types';

/** Steps settled in the decision go back to the engine in rounds (a delay that cannot start fails at once): bound the rounds. */
export const MAX_ROUNDS = 100;

/**
 * Decides a run's transition: folds everything that happened to the run (start, retry, cancel,
 * deadline, due timers, loop progress, settled steps) into its state, and says what to write.
 * Synchronous and pure: no database, no clock, no randomness of its own (`env` gives them), so a
 * decision can be made again from scratch at any time; the snapshot's state is this attempt's
 * own copy, changed in place. Returns `needs` when a read it lacks must be loaded first.
 */
export function decide(snapshot: RunSnapshot, graph: WorkflowGraph, env: DecideEnv): Plan {
  const d = new Decision(snapshot, graph, env);
  const { run } = snapshot;
  let state: RunState | null = run.state;
  if (state && isFinished(state) && !run.retry_request) return { kind: 'nothing' }; // late results of a finished run change nothing
  const startedNow = !state;
  // One cursor for the whole decision, writing in place the state this attempt parsed.
  const cursor = new RunCursor(graph, state, { adopt: true });

  for (let round = 0; round < MAX_ROUNDS; round++) {
    const inputs: Input[] = [];
    if (round === 0) {
      inputs.push(...runEvents(d));
      if (state && !isFinished(state)) {
        const moved = inputsFromTheTable(d, state);
        if (moved === undefined) return { kind: 'needs', reads: d.needs };
        inputs.push(...settledInputs(d, snapshot.settled), ...moved);
      } else {
        inputs.push(...settledInputs(d, snapshot.settled));
      }
    } else if (!state || isFinished(state)) {
      break; // finished in this decision: late results change nothing; the next transition marks them
    } else {
      inputs.push(...d.takeInline());
    }
    if (inputs.length === 0) break;
    for (const { event, stepId, approval, decidedBy } of inputs) {
      const next = cursor.apply(event);
      if (!next.changed) continue; // stale or duplicate: nothing to record
      if (approval) d.log('approval.resolved', { decision: approval, ...(decidedBy ? { decidedBy } : {}) }, 'nodeId' in event ? event.nodeId : null, stepId);
      d.logInput(event, stepId);
      state = cursor.state!;
      applyCommands(d, state, next.commands, stepId);
      if (d.lacksReads) return { kind: 'needs', reads: d.needs };
    }
  }
  d.releaseInline();
  if (run.retry_request && d.events.length === 0) d.effects.push({ type: 'clear-retry-request' });
  if (d.events.length === 0) return d.effects.length > 0 ? { kind: 'write', write: undefined, effects: d.effects } : { kind: 'nothing' };
  const timeoutMs = graph.settings.timeoutMs;
  return {
    kind: 'write',
    effects: d.effects,
    write: {
      runId: run.id,
      orgId: run.org_id,
      state: state!,
      lastSeq: d.lastSeq,
      status: runStatus(state!),
      timeoutMs: startedNow && timeoutMs ? timeoutMs : null,
      completion: d.completion,
      events: d.events,
      steps: d.steps,
      jobs: d.jobs,
    },
  };
}

/**
 * What moved in the table since the last transition, besides settled steps: due timers and loop
 * progress, for a run with a waiting timer or a running loop (undefined: asked to read them).
 */
function inputsFromTheTable(d: Decision, state: RunState): Input[] | undefined {
  const inputs: Input[] = [];
  if (hasActive(d.graph, state, PARKING_TYPES)) {
    const due = d.reads.dueTimers;
    if (due) inputs.push(...fireDueTimers(d, due));
    else d.need({ read: 'dueTimers' });
  }
  if (hasActive(d.graph, state, LOOP_TYPES)) {
    const loops = d.reads.loops;
    if (loops) inputs.push(...progressLoops(d, loops));
    else d.need({ read: 'loops' });
  }
  return d.lacksReads ? undefined : inputs;
}

/** Types whose steps park as `waiting` (due timers to fire) and loop types (iterations to move on), from the catalog's kinds. */
export const PARKING_TYPES = typesWith('parks');
export const LOOP_TYPES = typesOfKind('loop');

/** Whether a node of these types is active in the run (only those can have a waiting timer or a running loop). */
function hasActive(graph: WorkflowGraph, state: RunState, types: ReadonlySet<string>): boolean {
  if (!graphHas(graph, types)) return false; // most graphs: no scan of the run's nodes
  for (const [nodeId, node] of Object.entries(state.nodes)) {
    if ((node.status === 'queued' || node.status === 'running' || node.status === 'waiting') && types.has(graph.nodes.get(nodeId)?.type ?? '')) return true;
  }
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

/** The API status: `waiting` when only waiting steps (delay, approval, children) are left. */
export function runStatus(state: RunState): string {
  if (state.status !== 'running') return state.status;
  const nodes = Object.values(state.nodes);
  const busy = nodes.some((n) => n.status === 'queued' || n.status === 'running');
  return !busy && nodes.some((n) => n.status === 'waiting') ? 'waiting' : 'running';
}
