import { jobFor } from '@weft/queue';
import { typesOfKind } from '@weft/workflow-schema';
import type { PoolClient } from 'pg';
import { outboxed, type Outboxed } from './outbox';
import { STEP_ENDS, ago, deadlinePassed, leaseLost, requeueStep, runIsLive, settledUnapplied } from './rules';
import { rows, sqlNameList, type Queryable } from './sql';

/**
 * The statements of the backstops (orchestrator sweeper, lost-steps, reconciler): what Postgres
 * says should be happening although no job may be on its way. Writes take the caller's
 * transaction client and write the outbox rows of the jobs they imply in it.
 */

/** How late work must be, and how much of it one pass takes. */
export interface Window {
  /** How long past due (ms). */
  graceMs: number;
  limit: number;
}

/** A page of a reconciler pass: at most `limit` rows after the id `after`. */
export interface PageAfter {
  /** How long the work must have looked idle (ms). */
  idleMs: number;
  limit: number;
  after: string;
}

/** Runs to wake: a waiting step's timer is due, or the run is past its deadline (still live). */
export async function dueWakeUps(q: Queryable, w: Window): Promise<string[]> {
  const due = await rows<{ run_id: string }>(
    q,
    `SELECT DISTINCT run_id FROM (
       SELECT run_id FROM run_steps WHERE status = 'waiting' AND available_at <= ${ago('$1')} LIMIT $2) due
     UNION
     SELECT id FROM runs WHERE deadline_at <= ${ago('$1')} AND ${runIsLive()} LIMIT $2`,
    [w.graceMs, w.limit],
  );
  return due.map((r) => r.run_id);
}

/**
 * Running steps past their deadline (the worker hangs) → failed with a retryable `timeout`, with
 * their `step-settled` jobs. SKIP LOCKED: several sweepers may run at once.
 */
export async function timeOutSteps(c: PoolClient, w: Window): Promise<Outboxed> {
  const expired = await rows<{ id: string; run_id: string }>(
    c,
    `UPDATE run_steps SET status = 'failed', ${STEP_ENDS},
       error = jsonb_build_object('code', 'timeout', 'retryable', true,
         'message', 'the step did not finish within its timeout (enforced by the orchestrator)')
     WHERE id IN (SELECT id FROM run_steps WHERE ${deadlinePassed('', '$1')} LIMIT $2 FOR UPDATE SKIP LOCKED)
     RETURNING id, run_id`,
    [w.graceMs, w.limit],
  );
  return outboxed(c, null, expired.map((e) => jobFor.stepSettled(e.run_id, e.id, 'failed')));
}

/** A step given back to the queue or failed because its worker was lost. */
export interface LostStep {
  id: string;
  run_id: string;
  /** Losses counted so far, this one included. */
  losses: number;
}

const LOST = `SELECT id FROM run_steps WHERE ${leaseLost('', '$1')} LIMIT $2 FOR UPDATE SKIP LOCKED`;

/**
 * Running steps whose lease expired and that were lost fewer than `maxLosses` times → queued
 * again as the same attempt (fence + 1, losses + 1), with their execute-step jobs.
 */
export async function requeueLostSteps(c: PoolClient, w: Window & { maxLosses: number }): Promise<{ steps: LostStep[] } & Outboxed> {
  const steps = await rows<LostStep & { fence: number }>(
    c,
    `UPDATE run_steps SET ${requeueStep()}, losses = losses + 1
     WHERE id IN (${LOST}) AND losses < $3
     RETURNING id, run_id, fence, losses`,
    [w.graceMs, w.limit, w.maxLosses],
  );
  return { steps, ...(await outboxed(c, null, steps.map((s) => jobFor.executeStep(s.run_id, s.id, s.fence)))) };
}

/** Running steps whose lease expired once more than `maxLosses` allows → failed with `worker_lost` (a poison step). */
export async function failLostSteps(c: PoolClient, w: Window & { maxLosses: number }): Promise<{ steps: LostStep[] } & Outboxed> {
  const steps = await rows<LostStep>(
    c,
    `UPDATE run_steps SET status = 'failed', ${STEP_ENDS}, losses = losses + 1,
       error = jsonb_build_object('code', 'worker_lost', 'retryable', false,
         'message', 'the worker running this step was lost ' || (losses + 1) || ' times (its lease expired); the step is not delivered again')
     WHERE id IN (${LOST}) AND losses >= $3
     RETURNING id, run_id, losses`,
    [w.graceMs, w.limit, w.maxLosses],
  );
  return { steps, ...(await outboxed(c, null, steps.map((s) => jobFor.stepSettled(s.run_id, s.id, 'failed')))) };
}

/** The loop types, whose running steps need the run to move them on (from the catalog). */
const LOOP_TYPES = sqlNameList(typesOfKind('loop'));

/** A run idle for a while that still has something to fold in. */
export interface IdleRun {
  id: string;
  /** Its start was folded in (else its `start-run` job should be on its way). */
  started: boolean;
  /** Its settled steps not applied yet (each has a `step-settled` job on its way, or lost). */
  settled: { id: string; status: 'succeeded' | 'failed' }[] | null;
}

/**
 * Runs idle for `idleMs` that still have something to fold in (not started, settled steps not
 * applied, a running loop none of whose active iterations moved within `idleMs` (iterations hand
 * their slots on without the parent: a moving loop leaves its parent's row untouched), a cancel
 * request while live; or a retry request), in id order after `after`.
 */
export async function idleRunCandidates(q: Queryable, p: PageAfter): Promise<IdleRun[]> {
  return rows<IdleRun>(
    q,
    `SELECT r.id, r.state IS NOT NULL AS started,
       (SELECT json_agg(json_build_object('id', s.id, 'status', s.status)) FROM run_steps s
        WHERE s.run_id = r.id AND ${settledUnapplied('s')}) AS settled
     FROM runs r
     WHERE r.updated_at < ${ago('$1')} AND (
       (${runIsLive('r')} AND (
          r.state IS NULL OR r.cancel_requested_at IS NOT NULL
          OR EXISTS (SELECT 1 FROM run_steps s WHERE s.run_id = r.id AND ${settledUnapplied('s')})
          OR EXISTS (SELECT 1 FROM run_steps s WHERE s.run_id = r.id AND s.node_type IN (${LOOP_TYPES}) AND s.status = 'running'
                     AND NOT EXISTS (SELECT 1 FROM runs c WHERE c.parent_step_id = s.id AND c.status IN ('queued', 'running', 'waiting') AND c.updated_at >= ${ago('$1')}))))
       OR r.retry_request IS NOT NULL)
       AND r.id > $3
     ORDER BY r.id
     LIMIT $2`,
    [p.idleMs, p.limit, p.after],
  );
}

/** Steps queued for `idleMs` (their job may be lost), in id order after `after`, with the fence their job carries. */
export async function staleQueuedSteps(q: Queryable, p: PageAfter): Promise<{ id: string; run_id: string; fence: number }[]> {
  return rows(
    q,
    `SELECT id, run_id, fence FROM run_steps WHERE status = 'queued' AND available_at < ${ago('$1')} AND id > $3 ORDER BY id LIMIT $2`,
    [p.idleMs, p.limit, p.after],
  );
}
