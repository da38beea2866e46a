import { jobFor, type JobEnvelope } from '@weft/queue';
import type { StepError } from '@weft/workflow-schema';
import { outboxed, outboxRowFrom, outboxRowParams, type Outboxed } from './outbox';
import { STEP_ENDS, fromNow, holdsFence, latestOutputsSql, leaseUntil, requeueStep } from './rules';
import type { PoolClient } from 'pg';
import { rows, type Queryable } from './sql';
import { RUN_COLUMNS, settledStepsOf, type SettledStep, type StoredRun } from './transition/read-run';

/** A step as its worker claimed it, with what it needs to run (one round trip). */
export interface ClaimedStep {
  id: string;
  org_id: string;
  run_id: string;
  node_id: string;
  attempt: number;
  /** The fence this claim holds: the completion and every lease renewal present it. */
  fence: number;
  inputs: unknown;
  workflow_id: string;
  workflow_version_id: string;
  kind: string;
  body_path: string | null;
  /** The run's creator (`user:<id>`, `api_key:<id>`): a registered function's ctx.userId. */
  created_by: string | null;
  timeout_ms: number;
  /** The latest output of every node of the run that has one (succeeded, or failed and caught: OUTPUT_ROW), read by the claiming statement. */
  outputs: Record<string, unknown> | null;
  /** A test run's pinned node: the output copied from an earlier run (the node is not executed). */
  pinned?: { output: unknown } | null;
  /** How long the step waited before it could start (a retry's backoff), ms, for its log (absent for a step claimed by a transition: no backoff). */
  backoff_ms?: number;
  /** The run's W3C traceparent (null when tracing was off at its start): the step's span joins that trace. */
  trace_parent?: string | null;
}

/** A step held under a fence (claimed by this worker). */
export interface HeldStep {
  id: string;
  fence: number;
}

/**
 * queued → running (fence + 1) with a lease of `leaseMs`, and in the same round trip what the step
 * needs: the run's inputs and ids, and the latest output of every node that has one (succeeded,
 * or failed and caught: OUTPUT_ROW; the other steps' rows, unchanged by this statement). A step that is not queued any more is not claimed and reads
 * nothing (undefined).
 */
const CLAIM = `WITH claimed AS (
     UPDATE run_steps s SET status = 'running', fence = s.fence + 1, started_at = now(),
       deadline_at = ${fromNow('COALESCE(s.timeout_ms, $2)')},
       lease_expires_at = ${leaseUntil('$3')}
     FROM runs r
     WHERE s.id = $1 AND s.status = 'queued' AND r.id = s.run_id
     RETURNING s.id, s.org_id, s.run_id, s.node_id, s.attempt, s.fence, COALESCE(s.timeout_ms, $2) AS timeout_ms,
       GREATEST(0, (EXTRACT(EPOCH FROM s.available_at - s.created_at) * 1000)::int) AS backoff_ms,
       r.inputs, r.workflow_id, r.workflow_version_id, r.kind, r.body_path, r.created_by, r.trace_parent,
       CASE WHEN r.pinned_outputs ? s.node_id THEN jsonb_build_object('output', r.pinned_outputs -> s.node_id) END AS pinned)
   SELECT claimed.*, (SELECT jsonb_object_agg(o.node_id, o.output) FROM (${latestOutputsSql('claimed.run_id')}) o) AS outputs
   FROM claimed`;

export async function claimStep(q: Queryable, stepId: string, o: { defaultTimeoutMs: number; leaseMs: number }): Promise<ClaimedStep | undefined> {
  const { rows: [step] } = await q.query<ClaimedStep>({ name: 'weft_exec_claim', text: CLAIM, values: [stepId, o.defaultTimeoutMs, o.leaseMs] });
  return step;
}

/** What a step attempt ended with, as its worker writes it. */
export interface StepResult {
  status: 'succeeded' | 'failed';
  /** The output as JSON text (serialized once, by the check of its size). */
  outputJson: string | null;
  error: StepError | null;
  handle: string | null;
  /** Usage metered by the attempt (usage_events rows). */
  usage: readonly { kind: string; quantity: number; data?: Record<string, unknown> }[];
  /** The attempt's log lines (run_logs rows, already masked and capped), written with the result. */
  logs?: readonly StepLogLine[];
}

/** One line of a step's log as its worker writes it (`id`: a UUIDv7 made when the line was said, so ids order the lines). */
export interface StepLogLine {
  id: string;
  ts: string;
  level: 'debug' | 'info' | 'warn' | 'error';
  msg: string;
  data?: Record<string, unknown>;
}

/**
 * ONE statement: the fenced write of the result, its usage rows and the outbox row of its
 * `step-settled` job commit together or not at all. A stale fence (the step was re-claimed,
 * cancelled or timed out meanwhile) writes nothing: no jobs, no usage. The usage rows (usage.ts):
 * the attempt's `step_ms` (claim to completion, by node type; every attempt of a retried step is
 * one row) and what the processor recorded (LLM tokens, HTTP bytes), each with the node type and
 * the run's workflow. `p` names the parameters (`$1`…, or shifted in a larger statement); `applied`,
 * SQL, sets the row's `applied` (default: left false, for the transition to apply).
 */
export const completedSql = (p: (n: number) => string, applied?: string) => `done AS (
       UPDATE run_steps SET status = ${p(3)}, output = ${p(4)}, error = ${p(5)}, handle = ${p(6)}, ${STEP_ENDS}${applied ? `, applied = ${applied}` : ''}
       WHERE id = ${p(1)} AND ${holdsFence('', p(2))}
       RETURNING org_id, run_id, node_id, node_type, attempt, started_at, finished_at),
     metered AS (
       INSERT INTO usage_events (id, org_id, run_id, step_id, workflow_id, kind, quantity, data)
       SELECT weft_uuidv7(), done.org_id, done.run_id, ${p(1)}, (SELECT workflow_id FROM runs WHERE id = done.run_id), m.kind, m.quantity, m.data
       FROM done, LATERAL (
         SELECT 'step_ms' AS kind, COALESCE(GREATEST(0, round(EXTRACT(EPOCH FROM done.finished_at - done.started_at) * 1000)), 0)::bigint AS quantity,
           jsonb_build_object('nodeType', done.node_type, 'attempt', done.attempt) AS data
         UNION ALL
         SELECT u.kind, u.quantity, COALESCE(u.data, '{}') || jsonb_build_object('nodeType', done.node_type)
         FROM jsonb_to_recordset(${p(7)}::jsonb) AS u(kind text, quantity bigint, data jsonb)) m),
     logged AS (
       INSERT INTO run_logs (id, org_id, run_id, step_id, node_id, ts, level, msg, data)
       SELECT l.id, done.org_id, done.run_id, ${p(1)}, done.node_id, l.ts, l.level, l.msg, l.data
       FROM done, jsonb_to_recordset(COALESCE(${p(12)}::jsonb, '[]')) AS l(id uuid, ts timestamptz, level text, msg text, data jsonb))`;
const COMPLETED = completedSql((n) => `$${n}`);
const COMPLETE = `WITH ${COMPLETED} ${outboxRowFrom('done', 8)}`;

/** The 12 parameters of `completedSql` ($8–$11: the step-settled job's outbox row, `outboxRowFrom`). */
export const completionParams = (step: HeldStep, r: StepResult, job: JobEnvelope) => [
  step.id, step.fence, r.status, r.outputJson, r.error ? JSON.stringify(r.error) : null, r.handle, JSON.stringify(r.usage), ...outboxRowParams(job),
  // $12: the log lines (null when there are none: the insert reads no rows).
  r.logs?.length ? JSON.stringify(r.logs) : null,
];

export async function completeStep(q: Queryable, step: HeldStep & { runId: string }, r: StepResult): Promise<Outboxed> {
  const job = jobFor.stepSettled(step.runId, step.id, r.status);
  const { rows: written } = await q.query<{ id: string }>({ name: 'weft_exec_complete', text: COMPLETE, values: completionParams(step, r, job) });
  return written.length ? { ids: written.map((w) => w.id), jobs: [job] } : { ids: [], jobs: [] };
}

/** A completion written with the run as it was read in the same statement (`completeAndReadRun`). */
export interface CompletedWithRun {
  /** The step-settled job's outbox row, written with the completion. */
  settledJob: Outboxed;
  /** The run before this completion; its settled steps do not hold the completed one. */
  run: StoredRun & { settled: SettledStep[] | null; outputs: Record<string, unknown> | null };
}

/**
 * `completeStep` and, in the same round trip, what a transition of the run needs: the run row,
 * its settled steps not applied yet and the latest output of every node that has one, all as
 * they were before this statement (its CTEs share one snapshot). The executor decides the run's
 * transition from them where the step ran (run-core settle-in-place.ts). The step-settled job's
 * outbox row is written all the same: if nothing follows (the process dies, the transition's
 * guarded write loses), the job hands the step to the orchestrator as before. Stale: undefined.
 */
const COMPLETE_AND_READ = `WITH ${COMPLETED},
     ob AS (${outboxRowFrom('done', 8)}),
     r AS (SELECT ${RUN_COLUMNS} FROM runs WHERE id = (SELECT run_id FROM done))
   SELECT (SELECT id FROM ob) AS outbox_id, r.*, ${settledStepsOf('r.id')} AS settled,
     (SELECT jsonb_object_agg(o.node_id, o.output) FROM (${latestOutputsSql('r.id')}) o) AS outputs
   FROM r`;

export async function completeAndReadRun(q: Queryable, step: HeldStep & { runId: string }, r: StepResult): Promise<CompletedWithRun | undefined> {
  const job = jobFor.stepSettled(step.runId, step.id, r.status);
  const {
    rows: [row],
  } = await q.query<CompletedWithRun['run'] & { outbox_id: string }>({ name: 'weft_exec_complete_read', text: COMPLETE_AND_READ, values: completionParams(step, r, job) });
  if (!row) return undefined;
  const { outbox_id, ...run } = row;
  return { settledJob: { ids: [String(outbox_id)], jobs: [job] }, run };
}

/**
 * Renews, in ONE statement, the leases of the steps still running under the fence they were
 * claimed with; returns the ids renewed. A step lost meanwhile (re-queued, cancelled, timed out)
 * is not renewed: its worker should abort.
 */
export async function renewLeases(q: Queryable, held: readonly HeldStep[], leaseMs: number): Promise<Set<string>> {
  const { rows: renewed } = await q.query<{ id: string }>({
    name: 'weft_exec_renew_leases',
    text: `UPDATE run_steps s SET lease_expires_at = ${leaseUntil('$3')}
           FROM unnest($1::uuid[], $2::int[]) AS h(id, fence)
           WHERE s.id = h.id AND ${holdsFence('s', 'h.fence')}
           RETURNING s.id`,
    values: [held.map((h) => h.id), held.map((h) => h.fence), leaseMs],
  });
  return new Set(renewed.map((r) => r.id));
}

/**
 * Gives held steps back to the queue (graceful shutdown), inside the caller's transaction: each
 * step still running under its fence becomes queued with fence + 1, same attempt, with the outbox
 * row of its new execute-step job. A step that finished, or that another worker claimed since
 * (another fence), is left alone.
 */
export async function releaseSteps(q: PoolClient, held: readonly HeldStep[]): Promise<{ stepIds: string[] } & Outboxed> {
  if (held.length === 0) return { stepIds: [], ids: [], jobs: [] };
  const released = await rows<{ id: string; run_id: string; fence: number }>(
    q,
    `UPDATE run_steps s SET ${requeueStep('s')}
     FROM unnest($1::uuid[], $2::int[]) AS h(id, fence)
     WHERE s.id = h.id AND ${holdsFence('s', 'h.fence')}
     RETURNING s.id, s.run_id, s.fence`,
    [held.map((s) => s.id), held.map((s) => s.fence)],
  );
  return { stepIds: released.map((s) => s.id), ...(await outboxed(q, null, released.map((s) => jobFor.executeStep(s.run_id, s.id, s.fence)))) };
}
