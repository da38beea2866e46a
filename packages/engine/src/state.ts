import type { StepError, StepStatus } from '@weft/workflow-schema';

/**
 * What the engine knows of one node. A node absent from `nodes` is pending; a node reset by a
 * retry is `pending` with the attempt count it had, so its next attempt gets the next number.
 */
export interface NodeState {
  status: StepStatus;
  attempt: number;
  /** The handle a branching node left by ("true", "approved", ...). */
  handle?: string;
  error?: StepError;
  /**
   * A `failed` node whose failure the node caught (failure.ts): `error`, its error edges were
   * taken; `continue` (continueOnFail), its normal edges. Its output is the error; the run goes on.
   */
  caught?: 'error' | 'continue';
}

export type RunStateStatus = 'running' | 'waiting' | 'succeeded' | 'failed' | 'cancelled';

/** The engine's whole view of a run; JSON-serialisable and rebuilt exactly by replaying events. */
export interface RunState {
  status: RunStateStatus;
  nodes: Record<string, NodeState>;
  error?: RunError;
}

export interface RunError {
  code: string;
  message: string;
  nodeId?: string;
}

/** Inputs of `advance`: things that happened. Everything random or timed arrives inside them. */
export type EngineEvent =
  | { type: 'run.started' }
  | { type: 'step.succeeded'; nodeId: string; attempt: number; handle?: string }
  | {
      type: 'step.failed';
      nodeId: string;
      attempt: number;
      error: StepError;
      /** Uniform in [0, 1): the jitter of the retry delay, drawn by the caller so replay is exact. */
      random: number;
    }
  | { type: 'run.cancel_requested'; reason?: string }
  /** The whole-run deadline (settings.timeoutMs) passed: the run fails, active steps are cancelled. */
  | { type: 'run.timed_out' }
  /** Re-run the failed (and cancelled) steps of a finished run, or everything from one node on. */
  | { type: 'run.retry_requested'; fromNodeId?: string };

/** Outputs of `advance`: what the caller must now do. */
export type Command =
  | { type: 'dispatch'; nodeId: string; attempt: number; delayMs: number }
  | { type: 'skip'; nodeId: string }
  | { type: 'cancel_steps'; nodeIds: string[] }
  /** A terminate node was reached: record it as succeeded (the run ends by the `complete` that follows). */
  | { type: 'terminate'; nodeId: string; attempt: number }
  /**
   * A step's failure was caught by its node (an `error` edge or continueOnFail): the error becomes
   * the node's output for the steps downstream, before any of them is dispatched.
   */
  | { type: 'failure_caught'; nodeId: string; attempt: number; route: 'error' | 'continue'; error: StepError }
  /** A finished run is running again (retry): clear its end time, output and error. */
  | { type: 'reopen' }
  | { type: 'complete'; status: 'succeeded' | 'failed' | 'cancelled'; error?: RunError };

export interface Transition {
  state: RunState;
  commands: Command[];
}

export const ACTIVE_STEP_STATUSES: ReadonlySet<StepStatus> = new Set(['queued', 'running', 'waiting']);

/** Event types in run_events that are inputs of `advance`; replaying them rebuilds the state. */
export const ENGINE_INPUT_EVENT_TYPES: ReadonlySet<string> = new Set([
  'run.started',
  'step.succeeded',
  'step.failed',
  'run.cancel_requested',
  'run.timed_out',
  'run.retry_requested',
]);

/** Rebuilds an engine event from a stored run_events row (type + data). */
export function toEngineEvent(type: string, data: unknown): EngineEvent | undefined {
  if (!ENGINE_INPUT_EVENT_TYPES.has(type)) return undefined;
  return { ...(data as object), type } as EngineEvent;
}
