import { ERROR_HANDLE, type StepError } from '@weft/workflow-schema';
import type { WorkflowGraph } from './graph';
import { retryDelayMs, shouldRetry } from './retry';

/**
 * What becomes of a failed step attempt, in this order: another attempt if the node's retry
 * policy allows it; else the failure is caught by the node (its `error` edges, or
 * `continueOnFail`), and its output is the error; else the run fails.
 */
export type FailureRoute =
  | { route: 'retry'; attempt: number; delayMs: number }
  /** Caught: the node's `error` edges are taken, its other edges are not. */
  | { route: 'error' }
  /** Caught: `continueOnFail`, the node's edges without a handle are taken as if it had succeeded. */
  | { route: 'continue' }
  | { route: 'fail' };

/** The caught routes: how a caught node is recorded in the run state (NodeState.caught). */
export type CaughtRoute = 'error' | 'continue';

/**
 * Decides the fate of a failed attempt (pure: the retry jitter `random` is drawn by the caller).
 * An `error` edge wins over `continueOnFail` when a node has both.
 */
export function failureRoute(graph: WorkflowGraph, nodeId: string, attempt: number, error: StepError, random: number): FailureRoute {
  const node = graph.node(nodeId);
  if (shouldRetry(node.retry, attempt, error)) {
    const next = attempt + 1;
    return { route: 'retry', attempt: next, delayMs: retryDelayMs(node.retry, next, random, error) };
  }
  if ((graph.outgoing.get(nodeId) ?? []).some((e) => e.handle === ERROR_HANDLE)) return { route: 'error' };
  if (node.config.continueOnFail === true) return { route: 'continue' };
  return { route: 'fail' };
}

/**
 * Whether an edge leaving by `edgeHandle` is taken from a node that left by `left` (a branching
 * node's handle, `error` for a caught failure, undefined otherwise): an edge without a handle is
 * taken unless the node left by its error handle.
 */
export function takesEdge(left: string | undefined, edgeHandle: string | undefined): boolean {
  return edgeHandle === undefined ? left !== ERROR_HANDLE : left === edgeHandle;
}
