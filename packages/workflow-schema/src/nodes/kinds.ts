/**
 * How the platform carries out a node type: what the orchestrator, the executor and the engine do
 * with it. Each node type has exactly one kind (in the catalog, `catalog.ts`); code that treats
 * types differently asks the catalog (`nodeKind`, `typesOfKind`, `kindHas`) instead of naming types.
 */
export const NODE_KINDS = {
  /** A pure function of the run context (no I/O, clock or secrets): evaluated in the orchestrator's transition, or by an executor when inline steps are off. */
  inline: { secrets: false, parks: false, resumable: false, startsRuns: false, body: false, errorHandle: true, reusable: true },
  /** Runs in an executor worker: I/O, secrets resolved right before it runs, timeouts and retries. */
  executor: { secrets: true, parks: false, resumable: false, startsRuns: false, body: false, errorHandle: true, reusable: true },
  /** Parks its step as `waiting` until a time; a durable timer wakes the run. */
  timer: { secrets: false, parks: true, resumable: false, startsRuns: false, body: false, errorHandle: true, reusable: false },
  /** Parks its step as `waiting` until someone resumes it through the API; an optional timeout is a durable timer. */
  waiting: { secrets: false, parks: true, resumable: true, startsRuns: false, body: false, errorHandle: false, reusable: false },
  /** Runs an inline body graph once per item (iteration runs, or in place for a pure body). */
  loop: { secrets: false, parks: false, resumable: false, startsRuns: true, body: true, errorHandle: true, reusable: false },
  /** Starts a child run of another workflow and settles when it ends. */
  child: { secrets: false, parks: false, resumable: false, startsRuns: true, body: false, errorHandle: true, reusable: false },
  /** Ends the run at once; carried out by the engine, never dispatched. */
  terminal: { secrets: false, parks: false, resumable: false, startsRuns: false, body: false, errorHandle: false, reusable: false },
} as const satisfies Record<string, KindTraits>;

export interface KindTraits {
  /** Its templates may read `{{ secrets.NAME }}` (only the executor resolves and masks secrets). */
  secrets: boolean;
  /** Its step waits (status `waiting`) for something outside the run; the run shows `waiting` while only such steps are active. */
  parks: boolean;
  /** Its waiting step is resumed by a person through the API (approve/reject): the apps show the approval prompt. */
  resumable: boolean;
  /** Its step starts runs of its own (iterations, a child run) that are cancelled with it. */
  startsRuns: boolean;
  /** Its config holds an inline body graph (`config.body`) that the studio draws inside the node; a body holds no such node. */
  body: boolean;
  /**
   * Its steps can fail and the failure can be caught in the graph: an outgoing edge with the
   * `error` handle is taken (its output is the error), or `continueOnFail` goes on along the
   * normal edges. Waiting steps have their own `rejected` path; a terminal node does not fail.
   */
  errorHandle: boolean;
  /** A replay reuses its step's output (the step honours a pinned output); other kinds run again. */
  reusable: boolean;
}

export type NodeKind = keyof typeof NODE_KINDS;
export const NODE_KIND_NAMES = Object.keys(NODE_KINDS) as NodeKind[];
