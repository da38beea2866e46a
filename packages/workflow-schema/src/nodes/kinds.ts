/**
 * How the platform carries out a node type: what the orchestrator, the executor and the engine do
 * with it. Each node type has exactly one kind (in the catalog, `catalog.ts`); code that treats
 * types differently asks the catalog (`nodeKind`, `typesOfKind`, `kindHas`) instead of naming types.
 */
export const NODE_KINDS = {
  /** A pure function of the run context (no I/O, clock or secrets): evaluated in the orchestrator's transition, or by an executor when inline steps are off. */
  inline: { secrets: false, parks: false, startsRuns: false, errorHandle: true },
  /** Runs in an executor worker: I/O, secrets resolved right before it runs, timeouts and retries. */
  executor: { secrets: true, parks: false, startsRuns: false, errorHandle: true },
  /** Parks its step as `waiting` until a time; a durable timer wakes the run. */
  timer: { secrets: false, parks: true, startsRuns: false, errorHandle: true },
  /** Parks its step as `waiting` until someone resumes it through the API; an optional timeout is a durable timer. */
  waiting: { secrets: false, parks: true, startsRuns: false, errorHandle: false },
  /** Runs an inline body graph once per item (iteration runs, or in place for a pure body). */
  loop: { secrets: false, parks: false, startsRuns: true, errorHandle: true },
  /** Starts a child run of another workflow and settles when it ends. */
  child: { secrets: false, parks: false, startsRuns: true, errorHandle: true },
  /** Ends the run at once; carried out by the engine, never dispatched. */
  terminal: { secrets: false, parks: false, startsRuns: false, errorHandle: false },
} as const satisfies Record<string, KindTraits>;

export interface KindTraits {
  /** Its templates may read `{{ secrets.NAME }}` (only the executor resolves and masks secrets). */
  secrets: boolean;
  /** Its step waits (status `waiting`) for something outside the run; the run shows `waiting` while only such steps are active. */
  parks: boolean;
  /** Its step starts runs of its own (iterations, a child run) that are cancelled with it. */
  startsRuns: boolean;
  /**
   * Its steps can fail and the failure can be caught in the graph: an outgoing edge with the
   * `error` handle is taken (its output is the error), or `continueOnFail` goes on along the
   * normal edges. Waiting steps have their own `rejected` path; a terminal node does not fail.
   */
  errorHandle: boolean;
}

export type NodeKind = keyof typeof NODE_KINDS;
export const NODE_KIND_NAMES = Object.keys(NODE_KINDS) as NodeKind[];
