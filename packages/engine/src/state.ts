import type { StepError, StepStatus } from '@weft/workflow-schema';

/** What the engine knows of one node. A node absent from `nodes` is pending. */
export interface NodeState {
  status: StepStatus;
  attempt: number;
  /** The handle a branching node left by ("true", "approved", ...). */
  handle?: string;
  error?: StepError;
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
  | { type: 'run.cancel_requested'; reason?: string };

/** Outputs of `advance`: what the caller must now do. */
export type Command =
  | { type: 'dispatch'; nodeId: string; attempt: number; delayMs: number }
  | { type: 'skip'; nodeId: string }
  | { type: 'cancel_steps'; nodeIds: string[] }
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
]);

/** Rebuilds an engine event from a stored run_events row (type + data). */
export function toEngineEvent(type: string, data: unknown): EngineEvent | undefined {
  if (!ENGINE_INPUT_EVENT_TYPES.has(type)) return undefined;
  return { ...(data as object), type } as EngineEvent;
}
