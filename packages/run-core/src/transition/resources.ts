import { newId } from '@weft/db';
import type { Logger } from '@weft/logger';
import type { Queues } from '@weft/queue';
import type { GraphCache, LiveEvent, OutboxDeletes, RunBus, SettledStep, StoredRun } from '@weft/run-store';
import type { JobEnvelope } from '@weft/queue';
import type { Pool } from 'pg';
import { DEFAULT_ORCHESTRATOR_LIMITS, type DecideEnv, type OrchestratorLimits, type Reads, type RunSnapshot } from '../decide';

export interface OrchestratorResources {
  pool: Pool;
  queues: Queues;
  graphs: GraphCache;
  logger: Logger;
  bus?: RunBus;
  /** Batches the DELETE of published outbox rows; without it each transition deletes its own. */
  outboxDeletes?: OutboxDeletes;
  /** Evaluate pure nodes (trigger, transform, branch) inside the transition instead of on an executor. */
  inlinePureSteps?: boolean;
  /** Uniform [0,1) source for retry jitter; recorded in the event so replay is exact. */
  random?: () => number;
  /** Budgets of steps and limits of run shapes (default: DEFAULT_ORCHESTRATOR_LIMITS). */
  limits?: OrchestratorLimits;
}

/** The live events of one run. */
export interface RunEvents {
  runId: string;
  events: LiveEvent[];
}

/** What a written transition hands on, after commit: jobs to publish (with their outbox rows), steps to abort, events for live views. */
export interface TransitionResult {
  outboxIds: string[];
  jobs: JobEnvelope[];
  abortStepIds: string[];
  events: LiveEvent[];
  /** Events of other runs the transition wrote (the iterations a loop started). */
  otherRuns?: RunEvents[];
  /** The run the transition wrote, as metrics label it (`recordTransition`). */
  run?: RunFacts;
  /** What the transition's span says of its run (see traceOf). */
  trace?: RunTrace;
}

/** What metrics say of a run: its kind, what started it, and since when it exists. */
export interface RunFacts {
  kind: StoredRun['kind'];
  triggerType: string | null;
  createdAt: Date;
}

export const runFacts = (run: Pick<StoredRun, 'kind' | 'trigger_type' | 'created_at'>): RunFacts => ({ kind: run.kind, triggerType: run.trigger_type, createdAt: run.created_at });

/** The run a transition wrote, for its span: the trace it joins (null: tracing was off at its start), its org and status after. */
export interface RunTrace {
  parent: string | null;
  orgId: string;
  status: string | undefined;
}

export const traceOf = (run: Pick<StoredRun, 'trace_parent' | 'org_id'>, status: string | undefined): RunTrace => ({ parent: run.trace_parent ?? null, orgId: run.org_id, status });

export const limitsOf = (res: Pick<OrchestratorResources, 'limits'>): OrchestratorLimits => res.limits ?? DEFAULT_ORCHESTRATOR_LIMITS;

/** The clock, randomness, ids and settings of one decision. */
export function decideEnv(res: Pick<OrchestratorResources, 'limits' | 'random' | 'inlinePureSteps'>): DecideEnv {
  return { now: Date.now(), random: res.random ?? Math.random, newId, limits: limitsOf(res), inlinePureSteps: !!res.inlinePureSteps };
}

/** The snapshot of one attempt at deciding: the state parsed again, so that each attempt changes its own copy. */
export function snapshotOf(run: StoredRun, settled: readonly SettledStep[], reads: Reads): RunSnapshot {
  return { run: { ...run, state: run.state === null ? null : JSON.parse(run.state) }, settled, reads };
}

/** The events of a transition as live views show them. */
export function liveEvents(events: readonly { seq: number; type: string; nodeId: string | null; stepId: string | null; data: unknown }[]): LiveEvent[] {
  const createdAt = new Date().toISOString();
  return events.map((e) => ({ seq: e.seq, type: e.type, nodeId: e.nodeId, stepId: e.stepId, data: e.data, createdAt }));
}
