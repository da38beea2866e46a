import type { WorkflowGraph } from './graph';
import { retryDelayMs, shouldRetry } from './retry';
import { ACTIVE_STEP_STATUSES, type Command, type EngineEvent, type NodeState, type RunState, type Transition } from './state';

/**
 * The pure transition function: (graph, state, event) → (state, commands). No I/O, no clock,
 * no randomness of its own. Stale or duplicate events (an old attempt, a finished run) change
 * nothing, so at-least-once delivery upstream is harmless.
 */
export function advance(graph: WorkflowGraph, state: RunState | null, event: EngineEvent): Transition {
  if (event.type === 'run.started') {
    if (state) return { state, commands: [] };
    const next: RunState = { status: 'running', nodes: { [graph.triggerId]: { status: 'queued', attempt: 1 } } };
    return { state: next, commands: [{ type: 'dispatch', nodeId: graph.triggerId, attempt: 1, delayMs: 0 }] };
  }
  if (!state || isFinished(state)) return { state: state ?? { status: 'running', nodes: {} }, commands: [] };

  const next: RunState = { ...state, nodes: { ...state.nodes } };
  const commands: Command[] = [];

  switch (event.type) {
    case 'run.cancel_requested': {
      const active = activeNodes(next);
      for (const id of active) next.nodes[id] = { ...next.nodes[id]!, status: 'cancelled' };
      if (active.length) commands.push({ type: 'cancel_steps', nodeIds: active });
      next.status = 'cancelled';
      next.error = { code: 'cancelled', message: event.reason ?? 'the run was cancelled' };
      commands.push({ type: 'complete', status: 'cancelled', error: next.error });
      return { state: next, commands };
    }
    case 'step.succeeded': {
      const current = next.nodes[event.nodeId];
      if (!isLive(current, event.attempt)) return { state, commands: [] };
      next.nodes[event.nodeId] = {
        status: 'succeeded',
        attempt: event.attempt,
        ...(event.handle !== undefined ? { handle: event.handle } : {}),
      };
      propagate(graph, next, event.nodeId, commands);
      break;
    }
    case 'step.failed': {
      const current = next.nodes[event.nodeId];
      if (!isLive(current, event.attempt)) return { state, commands: [] };
      const policy = graph.node(event.nodeId).retry;
      if (shouldRetry(policy, event.attempt, event.error)) {
        const attempt = event.attempt + 1;
        next.nodes[event.nodeId] = { status: 'queued', attempt };
        const delayMs = retryDelayMs(policy, attempt, event.random, event.error);
        commands.push({ type: 'dispatch', nodeId: event.nodeId, attempt, delayMs });
        return { state: next, commands };
      }
      next.nodes[event.nodeId] = { status: 'failed', attempt: event.attempt, error: event.error };
      const active = activeNodes(next);
      for (const id of active) next.nodes[id] = { ...next.nodes[id]!, status: 'cancelled' };
      if (active.length) commands.push({ type: 'cancel_steps', nodeIds: active });
      next.status = 'failed';
      next.error = { code: event.error.code, message: `node "${event.nodeId}" failed: ${event.error.message}`, nodeId: event.nodeId };
      commands.push({ type: 'complete', status: 'failed', error: next.error });
      return { state: next, commands };
    }
  }

  if (activeNodes(next).length === 0 && graph.order.every((id) => next.nodes[id])) {
    next.status = 'succeeded';
    commands.push({ type: 'complete', status: 'succeeded' });
  }
  return { state: next, commands };
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

function isLive(node: NodeState | undefined, attempt: number): boolean {
  return !!node && node.attempt === attempt && ACTIVE_STEP_STATUSES.has(node.status);
}

function activeNodes(state: RunState): string[] {
  return Object.entries(state.nodes)
    .filter(([, n]) => ACTIVE_STEP_STATUSES.has(n.status))
    .map(([id]) => id);
}

type EdgeState = 'satisfied' | 'dead' | 'pending';

function edgeState(state: RunState, source: string, handle: string | undefined): EdgeState {
  const s = state.nodes[source];
  if (!s || ACTIVE_STEP_STATUSES.has(s.status) || s.status === 'pending') return 'pending';
  if (s.status !== 'succeeded') return 'dead';
  return handle === undefined || s.handle === handle ? 'satisfied' : 'dead';
}

/**
 * Decides the targets downstream of `from`: a join-all node runs once every incoming edge is
 * decided and at least one is satisfied (edges of branches not taken are ignored, so a join
 * after a branch runs with the branch that was taken); a join-any node runs on the first
 * satisfied edge; a node none of whose edges can still be satisfied is skipped, and the skip
 * propagates.
 */
function propagate(graph: WorkflowGraph, state: RunState, from: string, commands: Command[]): void {
  const todo = [from];
  while (todo.length) {
    const id = todo.shift()!;
    for (const e of graph.outgoing.get(id) ?? []) {
      const target = e.target;
      if (state.nodes[target]) continue;
      const edges = graph.incoming.get(target) ?? [];
      const states = edges.map((x) => edgeState(state, x.source, x.handle));
      const anySatisfied = states.includes('satisfied');
      const allDecided = !states.includes('pending');
      const join = graph.node(target).join;
      if (anySatisfied && (join === 'any' || allDecided)) {
        state.nodes[target] = { status: 'queued', attempt: 1 };
        commands.push({ type: 'dispatch', nodeId: target, attempt: 1, delayMs: 0 });
      } else if (allDecided && !anySatisfied) {
        state.nodes[target] = { status: 'skipped', attempt: 0 };
        commands.push({ type: 'skip', nodeId: target });
        todo.push(target);
      }
    }
  }
}
