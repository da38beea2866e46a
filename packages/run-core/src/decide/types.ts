import type { RunState } from '@weft/engine';
import type { JobEnvelope } from '@weft/queue';
import type { EventRow, SettledStep, StepRow, StoredRun, TransitionWrite } from '@weft/run-store';
import type { StepError } from '@weft/workflow-schema';
import type { OrchestratorLimits } from './limits';

/*
 * What `decide` takes (a snapshot of the run, the graph, an environment) and gives (a plan). Row
 * shapes are the run store's (types only: nothing here reaches Postgres).
 */

/** The run as read, its state parsed for this attempt (decide may change it in place). */
export type RunRow = Omit<StoredRun, 'state'> & { state: RunState | null };

/** Everything decide knows about a run: the row, the settled steps the engine has not seen, and the optional reads loaded so far. */
export interface RunSnapshot {
  run: RunRow;
  /** Steps that ended and that the engine has not been given yet, oldest first. */
  settled: readonly SettledStep[];
  reads: Reads;
}

/** Reads a decision may need; undefined: not loaded (decide asks for it with a `needs` plan). */
export interface Reads {
  /** The latest output of every succeeded node. */
  outputs?: Readonly<Record<string, unknown>>;
  /** The run's waiting steps whose timer is due. */
  dueTimers?: readonly DueTimer[];
  /** The run's running for_each steps, with what their end needs. */
  loops?: readonly RunningLoop[];
  /** Workflow versions looked up for sub_workflow nodes, by `versionKey`; null: none found. */
  versions?: ReadonlyMap<string, { id: string; workflowId: string } | null>;
  /** How many runs deep this run is (itself 1), counted up to maxSubWorkflowDepth + 1. */
  runDepth?: number;
  /** The product of the item counts of the loops around this run (1 when none). */
  enclosingIterations?: number;
  /** Iteration runs this run's loops started so far. */
  iterationsStarted?: number;
  /** For a failed run whose workflow has settings.errorWorkflowId: where its error run would go. */
  errorTarget?: ErrorTarget;
}

export interface ErrorTarget {
  /** The run is an error run, or runs below one: its failure starts nothing (no loops). */
  inErrorRun: boolean;
  /** The error workflow's latest published version, when it is a workflow of the run's org. */
  versionId: string | null;
  startedAt: string | null;
}

export interface DueTimer {
  stepId: string;
  nodeId: string;
  nodeType: string;
  attempt: number;
}

export interface RunningLoop {
  stepId: string;
  nodeId: string;
  attempt: number;
  itemsTotal: number;
  /** Its iteration runs that ended (counted from their rows by the read), and those that failed or were cancelled. */
  itemsDone: number;
  itemsFailed: number;
  /** When an item failed: the first one (item order). */
  firstFailed?: { runId: string; index: number; status: string; message: string | undefined };
  /** When every item is done: the size of their outputs as one JSON array, and the array when within the value limit. */
  outputBytes?: number;
  output?: unknown[];
}

export type ReadRequest =
  | { read: 'outputs' }
  | { read: 'dueTimers' }
  | { read: 'loops' }
  | { read: 'version'; workflowId: string; version: number | null }
  | { read: 'runDepth' }
  | { read: 'enclosingIterations' }
  | { read: 'iterationsStarted' }
  | { read: 'errorTarget'; errorWorkflowId: string };

/** The key of a workflow version lookup in `Reads.versions`. */
export const versionKey = (workflowId: string, version: number | null) => `${workflowId}@${version ?? 'latest'}`;

/** What every step row of a node starts from: the node, its type and the attempt. */
export type Base = { nodeId: string; nodeType: string; attempt: number };

/** What decide draws on that is not a function of its inputs: the clock, randomness, ids, settings. */
export interface DecideEnv {
  /** The time of this decision (ms since the epoch). */
  now: number;
  /** Uniform [0,1) source for retry jitter; recorded in the event so replay is exact. */
  random: () => number;
  newId: () => string;
  limits: OrchestratorLimits;
  /** Evaluate pure nodes (trigger, transform, branch) inside the transition instead of on an executor. */
  inlinePureSteps: boolean;
}

/** The final write of a transition, as decide plans it (the adapter adds its guard and the steps to mark applied). */
export type FinalWrite = Omit<TransitionWrite, 'guardSeq' | 'applied' | 'events' | 'steps' | 'jobs'> & {
  events: EventRow[];
  steps: StepRow[];
  jobs: JobEnvelope[];
};

/**
 * What cannot be in the final write's one statement (other runs' rows, rows already in the
 * table), applied in order before it, under the run lock. Jobs they cause are built by the
 * adapter from what the statements return.
 */
export type Effect =
  /** A sub_workflow's child run and its run.created event (its start job is in the final write). */
  | { type: 'insert-child-run'; childRunId: string; workflowId: string; workflowVersionId: string; inputsJson: string; parentStepId: string; createdEventId: string }
  /** One pending iteration run per item of a for_each. */
  | { type: 'insert-iterations'; stepId: string; bodyPath: string; itemsJson: string }
  /**
   * Pending iterations of a loop started up to `concurrency` active ones: each one's first
   * transition decided and written by this transition (its first steps queued), or, when that
   * decision needs more than the run itself (a read, an effect), a start job.
   */
  | { type: 'start-iterations'; stepId: string; concurrency: number }
  /** A waiting step (timer due) or a running loop step settled; written applied (the engine got it here). */
  | { type: 'settle-step'; from: 'waiting' | 'running'; stepId: string; status: 'succeeded' | 'failed'; output: unknown; error: unknown; handle: string | null }
  /** Active steps of these nodes cancelled (their ids aborted in executors, their child runs cancelled). */
  | { type: 'cancel-steps'; nodeIds: string[] }
  /** The child runs of these steps cancelled (a cancel-requested job for each active one). */
  | { type: 'cancel-children'; stepIds: string[] }
  /** This run (a sub_workflow's child) ended: its parent's step settles (a child-settled job). */
  | { type: 'settle-parent-step'; parentStepId: string; status: 'succeeded' | 'failed'; output: unknown; error: unknown; childSeq: number }
  /** A step's failure was caught by its node (error edge, continueOnFail): the error becomes the failed row's output. */
  | { type: 'record-caught-failure'; nodeId: string; attempt: number; error: StepError }
  /** A run of the workflow's settings.errorWorkflowId, with the failed run's summary as inputs, and its run.created event. */
  | { type: 'insert-error-run'; errorRunId: string; workflowId: string; workflowVersionId: string; inputsJson: string; createdEventId: string }
  /** A finished run runs again: its end time, output and error are cleared. */
  | { type: 'reopen' }
  /** A retry request that changed nothing is dropped. */
  | { type: 'clear-retry-request' };

/**
 * The outcome of one decision: nothing to do; reads to load before deciding again from scratch
 * (nothing was written); or a write: effects, then the final write (absent when no state changed).
 */
export type Plan =
  | { kind: 'nothing' }
  | { kind: 'needs'; reads: ReadRequest[] }
  | { kind: 'write'; write: FinalWrite | undefined; effects: Effect[] };

