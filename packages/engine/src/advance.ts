import type { WorkflowGraph } from './graph';
import { retryDelayMs, shouldRetry } from './retry';
import { ACTIVE_STEP_STATUSES, type Command, type EngineEvent, type NodeState, type RunError, type RunState, type Transition } from './state';

/**
 * The pure transition function: (graph, state, event) → (state, commands). No I/O, no clock,
 * no randomness of its own. Stale or duplicate events (an old attempt, a finished run) return
 * the very same state object and no commands, so at-least-once delivery upstream is harmless.
 */
export function advance(graph: WorkflowGraph, state: RunState | null, event: EngineEvent): Transition {
  if (event.type === 'run.started') {
    if (state) return { state, commands: [] };
    const next: RunState = { status: 'running', nodes: {} };
    const commands: Command[] = [];
    dispatch(graph, next, graph.triggerId, commands);
    return finish(graph, next, commands);
  }
  // Every run's history begins with run.started; anything else first is a caller bug, not data.
  if (!state) throw new Error(`"${event.type}" before "run.started": a run's first event must start it`);
  if (event.type === 'run.retry_requested') return retryRun(graph, state, event.fromNodeId);
  if (isFinished(state)) return { state, commands: [] };

  const next: RunState = { ...state, nodes: { ...state.nodes } };
  const commands: Command[] = [];
  switch (event.type) {
    case 'run.cancel_requested':
      return end(next, commands, 'cancelled', { code: 'cancelled', message: event.reason ?? 'the run was cancelled' });
    case 'run.timed_out':
      return end(next, commands, 'failed', { code: 'run_timeout', message: 'the run did not finish within settings.timeoutMs' });
    case 'step.succeeded': {
      if (!isLive(state.nodes[event.nodeId], event.attempt)) return { state, commands: [] };
      next.nodes[event.nodeId] = { status: 'succeeded', attempt: event.attempt, ...(event.handle !== undefined ? { handle: event.handle } : {}) };
      propagate(graph, next, [event.nodeId], commands);
      return finish(graph, next, commands);
    }
    case 'step.failed': {
      if (!isLive(state.nodes[event.nodeId], event.attempt)) return { state, commands: [] };
      const policy = graph.node(event.nodeId).retry;
      if (shouldRetry(policy, event.attempt, event.error)) {
        const attempt = event.attempt + 1;
        next.nodes[event.nodeId] = { status: 'queued', attempt };
        commands.push({ type: 'dispatch', nodeId: event.nodeId, attempt, delayMs: retryDelayMs(policy, attempt, event.random, event.error) });
        return { state: next, commands };
      }
      next.nodes[event.nodeId] = { status: 'failed', attempt: event.attempt, error: event.error };
      return end(next, commands, 'failed', { code: event.error.code, message: `node "${event.nodeId}" failed: ${event.error.message}`, nodeId: event.nodeId });
    }
  }
}

/** Replays input events from nothing: the state a run's history implies. */
export function replay(graph: WorkflowGraph, events: readonly EngineEvent[]): RunState | null {
  let state: RunState | null = null;
  for (const e of events) state = advance(graph, state, e).state;
  return state;
}

export function isFinished(state: RunState): boolean {
  return state.status === 'succeeded' || state.status === 'failed' || state.status === 'cancelled';
}

/** Every node of the graph downstream of `from`, `from` included. */
export function descendants(graph: WorkflowGraph, from: string): Set<string> {
  const seen = new Set([from]);
  const todo = [from];
  while (todo.length) {
    for (const e of graph.outgoing.get(todo.pop()!) ?? []) {
      if (seen.has(e.target)) continue;
      seen.add(e.target);
      todo.push(e.target);
    }
  }
  return seen;
}

const isLive = (node: NodeState | undefined, attempt: number) =>
  !!node && node.attempt === attempt && ACTIVE_STEP_STATUSES.has(node.status);

const isDecided = (node: NodeState | undefined) => !!node && node.status !== 'pending';

function activeNodes(state: RunState): string[] {
  return Object.entries(state.nodes)
    .filter(([, n]) => ACTIVE_STEP_STATUSES.has(n.status))
    .map(([id]) => id);
}

/** Ends the run: active steps are cancelled, then the run completes with `status`. */
function end(state: RunState, commands: Command[], status: 'succeeded' | 'failed' | 'cancelled', error?: RunError): Transition {
  const active = activeNodes(state);
  for (const id of active) state.nodes[id] = { ...state.nodes[id]!, status: 'cancelled' };
  const kept = [...commands];
  if (active.length) kept.push({ type: 'cancel_steps', nodeIds: active });
  state.status = status;
  if (error) state.error = error;
  else delete state.error;
  kept.push({ type: 'complete', status, ...(error ? { error } : {}) });
  return { state, commands: kept };
}

/** Completes the run when every node is decided and nothing is active. */
function finish(graph: WorkflowGraph, state: RunState, commands: Command[]): Transition {
  const terminate = commands.find((c) => c.type === 'dispatch' && graph.node(c.nodeId).type === 'terminate');
  if (terminate && terminate.type === 'dispatch') {
    const node = graph.node(terminate.nodeId);
    state.nodes[node.id] = { status: 'succeeded', attempt: terminate.attempt };
    const rest = commands.filter((c) => c !== terminate);
    const status = node.config.status === 'failed' ? 'failed' : 'succeeded';
    const message = typeof node.config.message === 'string' ? node.config.message : `terminated by node "${node.id}"`;
    return end(state, [...rest, { type: 'terminate', nodeId: node.id, attempt: terminate.attempt }], status, status === 'failed' ? { code: 'terminated', message, nodeId: node.id } : undefined);
  }
  if (activeNodes(state).length === 0 && graph.order.every((id) => isDecided(state.nodes[id]))) {
    state.status = 'succeeded';
    commands.push({ type: 'complete', status: 'succeeded' });
  }
  return { state, commands };
}

/** Nodes that wait for time or a person: the run shows `waiting` while only these are active. */
const WAITING_TYPES: ReadonlySet<string> = new Set(['delay', 'wait_for_approval']);

function dispatch(graph: WorkflowGraph, state: RunState, nodeId: string, commands: Command[]) {
  const attempt = (state.nodes[nodeId]?.attempt ?? 0) + 1;
  state.nodes[nodeId] = { status: WAITING_TYPES.has(graph.node(nodeId).type) ? 'waiting' : 'queued', attempt };
  commands.push({ type: 'dispatch', nodeId, attempt, delayMs: 0 });
}

type EdgeState = 'satisfied' | 'dead' | 'pending';

function edgeState(state: RunState, source: string, handle: string | undefined): EdgeState {
  const s = state.nodes[source];
  if (!s || s.status === 'pending' || ACTIVE_STEP_STATUSES.has(s.status)) return 'pending';
  if (s.status !== 'succeeded') return 'dead';
  return handle === undefined || s.handle === handle ? 'satisfied' : 'dead';
}

/**
 * Decides nodes downstream of `from`: a join-all node runs once every incoming edge is decided
 * and at least one is satisfied (edges of branches not taken are ignored, so a join after a
 * branch runs with the branch that was taken); a join-any node runs on the first satisfied edge;
 * a node none of whose edges can still be satisfied is skipped, and the skip propagates.
 */
function propagate(graph: WorkflowGraph, state: RunState, from: string[], commands: Command[]): void {
  const todo = [...from];
  while (todo.length) {
    const id = todo.shift()!;
    for (const e of graph.outgoing.get(id) ?? []) {
      if (decide(graph, state, e.target, commands)) todo.push(e.target);
    }
  }
}

/** Dispatches or skips `target` if its incoming edges allow; true when it was skipped (propagate on). */
function decide(graph: WorkflowGraph, state: RunState, target: string, commands: Command[]): boolean {
  if (isDecided(state.nodes[target])) return false;
  const states = (graph.incoming.get(target) ?? []).map((x) => edgeState(state, x.source, x.handle));
  const anySatisfied = states.includes('satisfied');
  const allDecided = !states.includes('pending');
  if (anySatisfied && (graph.node(target).join === 'any' || allDecided)) {
    dispatch(graph, state, target, commands);
    return false;
  }
  if (allDecided && !anySatisfied) {
    state.nodes[target] = { status: 'skipped', attempt: state.nodes[target]?.attempt ?? 0 };
    commands.push({ type: 'skip', nodeId: target });
    return true;
  }
  return false;
}

/**
 * Retry of a finished failed/cancelled run: the failed and cancelled nodes (or `fromNodeId`) and
 * everything downstream of them go back to pending, successful steps are kept, and whatever is
 * ready runs again with the next attempt number.
 */
function retryRun(graph: WorkflowGraph, state: RunState, fromNodeId?: string): Transition {
  if (state.status !== 'failed' && state.status !== 'cancelled') return { state, commands: [] };
  if (fromNodeId !== undefined && !graph.nodes.has(fromNodeId)) return { state, commands: [] };
  const roots = fromNodeId !== undefined
    ? [fromNodeId]
    : Object.entries(state.nodes).filter(([, n]) => n.status === 'failed' || n.status === 'cancelled').map(([id]) => id);
  const reset = new Set<string>();
  for (const r of roots) for (const id of descendants(graph, r)) reset.add(id);
  // Skipped nodes downstream of a reset node were decided by it: decide them again too.
  const next: RunState = { status: 'running', nodes: { ...state.nodes } };
  for (const id of reset) {
    const prev = next.nodes[id];
    if (prev) next.nodes[id] = { status: 'pending', attempt: prev.attempt };
  }
  const commands: Command[] = [];
  commands.push({ type: 'reopen' });
  for (const id of graph.order) {
    if (!reset.has(id)) continue;
    if (id === graph.triggerId) dispatch(graph, next, id, commands);
    else if (decide(graph, next, id, commands)) propagate(graph, next, [id], commands);
  }
  return finish(graph, next, commands);
}
