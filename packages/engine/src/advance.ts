import type { WorkflowGraph } from './graph';
import { RunCursor } from './run-cursor';
import type { EngineEvent, RunState, Transition } from './state';

export { descendants } from './run-cursor';

/**
 * The pure transition function: (graph, state, event) → (state, commands). No I/O, no clock,
 * no randomness of its own. Stale or duplicate events (an old attempt, a finished run) return
 * the very same state object and no commands, so at-least-once delivery upstream is harmless.
 * The input state is never mutated; a changed state is a copy. To fold many events into one
 * state without a copy per event (a 10,000-wide fan-out), use a RunCursor.
 */
export function advance(graph: WorkflowGraph, state: RunState | null, event: EngineEvent): Transition {
  const cursor = new RunCursor(graph, state, { oneEvent: true });
  const { changed, commands } = cursor.apply(event);
  return changed ? { state: cursor.state!, commands } : { state: state!, commands: [] };
}

/** Replays input events from nothing: the state a run's history implies. */
export function replay(graph: WorkflowGraph, events: readonly EngineEvent[]): RunState | null {
  const cursor = new RunCursor(graph, null);
  for (const e of events) cursor.apply(e);
  return cursor.state;
}

export function isFinished(state: RunState): boolean {
  return state.status === 'succeeded' || state.status === 'failed' || state.status === 'cancelled';
}
