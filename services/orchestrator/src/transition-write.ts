import { outboxParams, stepParams, type LiveEvent, type StepRow } from '@weft/run-store';
import type { RunState } from '@weft/engine';
import type { JobEnvelope } from '@weft/queue';
import type { StepError } from '@weft/workflow-schema';
import type { PoolClient } from 'pg';
import type { EventRow } from './event-log';
import { WRITE_TRANSITIONS, eventArrays, jsonOrNull } from './transition-sql';

/** A transition's outcome: not written, or not to be written without the run lock. */
export const FALL_BACK = Symbol('take the run lock');
/** Thrown by `noQueries`: the transition needed a statement of its own. */
export class NeedsLock extends Error {}

/** The client as a transition sees it when it must not issue statements of its own (unlocked starts). */
export function noQueries(client: PoolClient): PoolClient {
  return new Proxy(client, {
    get: (target, prop, receiver) => (prop === 'query' ? () => Promise.reject(new NeedsLock()) : Reflect.get(target, prop, receiver)),
  });
}

/** A step row that ended and that the engine has not been given yet. */
export interface SettledStep {
  id: string;
  node_id: string;
  node_type: string;
  attempt: number;
  status: 'succeeded' | 'failed';
  error: StepError | null;
  handle: string | null;
  output?: unknown;
}

export interface TransitionIo {
  /** What the transition's own statements go through. */
  c: PoolClient;
  /** Plain reads that need no lock (the workflow graph). */
  reads: PoolClient;
  /** The final write: the outbox ids of its jobs, or FALL_BACK when its guard stopped it (nothing written). */
  write: (w: TransitionWrite) => Promise<string[] | typeof FALL_BACK>;
  /**
   * Unlocked: the run was read without its lock, with its unapplied settled steps (`settled`);
   * the final write applies only to the run as read, and marks those steps applied.
   */
  unlocked?: { settled: readonly SettledStep[] };
}

/** What a written transition hands on: jobs to publish (with their outbox rows), steps to abort, events for live views. */
export interface TransitionResult {
  outboxIds: string[];
  jobs: JobEnvelope[];
  abortStepIds: string[];
  events: LiveEvent[];
}

/** Everything one transition writes, for one statement (`writeTransition`) or one shared by several runs (`writeTransitions`). */
export interface TransitionWrite {
  runId: string;
  orgId: string;
  state: RunState;
  lastSeq: number;
  status: string;
  timeoutMs: number | null;
  completion: { output: unknown; error: unknown } | undefined;
  events: readonly EventRow[];
  steps: readonly StepRow[];
  jobs: readonly JobEnvelope[];
  /** Only for a run still at this sequence (an unlocked transition); null under the run lock. */
  guardSeq: number | null;
  /** Settled steps this transition applied that are not marked applied yet (read without the lock). */
  applied: readonly string[];
}

/** The final write of one transition (`writeTransitions`): the outbox ids of its jobs, or FALL_BACK when its guard stopped it. */
export async function writeTransition(c: PoolClient, w: TransitionWrite): Promise<string[] | typeof FALL_BACK> {
  const [written] = await writeTransitions(c, [w]);
  return written!;
}

/**
 * The final writes of several transitions (the unlocked transitions of a batch, or one locked
 * transition) in ONE statement: per run, the outbox ids of its jobs, or FALL_BACK when its guard stopped it.
 */
export async function writeTransitions(c: PoolClient, writes: readonly TransitionWrite[]): Promise<(string[] | typeof FALL_BACK)[]> {
  const runCol = <T>(f: (w: TransitionWrite) => T) => writes.map(f);
  const perRow = <R>(rows: (w: TransitionWrite) => readonly R[]) => writes.flatMap((w) => rows(w).map(() => w.runId));
  const {
    rows: [written],
  } = await c.query<{ applied: string[]; outbox_ids: string[]; outbox_jobs: string[] }>({
    name: 'weft_orch_write_transitions',
    text: WRITE_TRANSITIONS,
    values: [
      runCol((w) => w.runId), runCol((w) => JSON.stringify(w.state)), runCol((w) => w.lastSeq), runCol((w) => w.status), runCol((w) => w.timeoutMs),
      runCol((w) => w.completion !== undefined), runCol((w) => jsonOrNull(w.completion?.output)), runCol((w) => jsonOrNull(w.completion?.error)),
      runCol((w) => w.guardSeq),
      perRow((w) => w.events), ...eventArrays(writes.flatMap((w) => w.events)),
      perRow((w) => w.jobs), ...outboxParams(writes.flatMap((w) => w.jobs)),
      perRow((w) => w.steps), ...stepParams(writes.flatMap((w) => w.steps)),
      perRow((w) => w.applied), writes.flatMap((w) => w.applied),
    ],
  });
  const applied = new Set(written?.applied ?? []);
  // Job ids are unique: they say whose outbox row each is.
  const outboxOfJob = new Map((written?.outbox_jobs ?? []).map((jobId, i) => [jobId, String(written!.outbox_ids[i])]));
  return writes.map((w) => (applied.has(w.runId) ? w.jobs.map((j) => outboxOfJob.get(j.jobId)!) : FALL_BACK));
}
