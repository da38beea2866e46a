import type { QuotaGuard } from '@weft/billing';
import { newId } from '@weft/db';
import { ATTR, SpanKind, endSpan, startSpan, traceparentOf } from '@weft/telemetry';
import type { Logger } from '@weft/logger';
import type { JobEnvelope, Queues } from '@weft/queue';
import { publishOutbox, rows, scheduleHasLiveRun, startScheduledRun, withTx, startTicker } from '@weft/run-store';
import { CronSchedule, overlapDecision, planFires, type CatchupLimits, type CatchupPolicy, type OverlapPolicy } from '@weft/schedule';
import type { Pool, PoolClient } from 'pg';
import { ADVANCE, CLAIM_DUE, INSERT_IDLE_FIRE, SKIP_FIRE_FOR_QUOTA } from './scheduler-sql';

export interface SchedulerOptions extends CatchupLimits {
  /** How often the scheduler looks for due schedules (ms); 0 turns it off in this process. */
  intervalMs: number;
  /** Schedules claimed per transaction. */
  batch?: number;
  /** The plans' quotas: a fire the org's plan refuses starts no run and is recorded skipped with the reason. */
  quotas?: QuotaGuard;
}

interface DueSchedule {
  id: string;
  org_id: string;
  workflow_id: string;
  cron: string;
  timezone: string;
  inputs: unknown;
  overlap: OverlapPolicy;
  catchup: CatchupPolicy;
  next_run_at: Date | null;
  buffered_at: Date | null;
  now: Date;
}

/** What one pass did: fires per outcome, and the start jobs to publish once it committed. */
export interface FireResult {
  /** Schedules claimed by the pass. */
  claimed: number;
  started: number;
  skipped: number;
  buffered: number;
  jobs: JobEnvelope[];
  outboxIds: string[];
}

/**
 * Fires the due schedules inside the caller's transaction (`c` is in BEGIN): claims them with
 * FOR UPDATE SKIP LOCKED, so concurrent schedulers share the work and never hold the same
 * schedule; writes one schedule_fires row per nominal time (unique), and for each fire that starts
 * a run, the run, its first event and its outbox row; advances next_run_at. Nothing is visible
 * until the caller commits, and a transaction that dies leaves the schedules due for the next tick.
 * `now` stands in for the database clock (tests).
 */
export async function fireDueSchedules(c: PoolClient, o: Omit<SchedulerOptions, 'intervalMs'>, logger?: Logger, now?: Date): Promise<FireResult> {
  const result: FireResult = { claimed: 0, started: 0, skipped: 0, buffered: 0, jobs: [], outboxIds: [] };
  const due = await rows<DueSchedule>(c, CLAIM_DUE, [now ?? null, o.batch ?? 100]);
  result.claimed = due.length;
  for (const s of due) {
    // One schedule's failure (a statement error) must not undo the others' fires.
    await c.query('SAVEPOINT schedule');
    try {
      await fireOne(c, s, o, result, logger);
      await c.query('RELEASE SAVEPOINT schedule');
    } catch (err) {
      await c.query('ROLLBACK TO SAVEPOINT schedule');
      logger?.error({ err, scheduleId: s.id }, 'schedule fire failed; it stays due for the next tick');
    }
  }
  return result;
}

async function fireOne(c: PoolClient, s: DueSchedule, o: CatchupLimits & { quotas?: QuotaGuard }, result: FireResult, logger?: Logger) {
  const cron = new CronSchedule(s.cron, s.timezone);
  const plan = s.next_run_at ? planFires(cron, s.next_run_at, s.now, s.catchup, o) : { fire: [], dropped: 0, next: null };
  if (plan.dropped > 0) logger?.info({ scheduleId: s.id, dropped: plan.dropped, catchup: s.catchup }, 'missed fires dropped by the catch-up policy');
  const isLive = async () => s.overlap !== 'allow' && (await scheduleHasLiveRun(c, s.id));
  let buffered = s.buffered_at;
  let lastStarted: Date | null = null;
  let live = buffered || plan.fire.length ? await isLive() : false;
  if (buffered && !live) {
    if (await startRun(c, 'buffered', s, buffered, result, logger, o.quotas)) {
      lastStarted = buffered;
      live = true;
    }
    buffered = null;
  }
  for (const t of plan.fire) {
    const decision = overlapDecision(s.overlap, live, buffered !== null);
    if (decision === 'start') {
      if (await startRun(c, 'new', s, t, result, logger, o.quotas)) {
        lastStarted = t;
        live = s.overlap !== 'allow';
      }
      continue;
    }
    await c.query(INSERT_IDLE_FIRE, [newId(), s.org_id, s.id, t, decision === 'buffer' ? 'buffered' : 'skipped']);
    if (decision === 'skip') result.skipped++;
    else {
      buffered = t;
      result.buffered++;
    }
  }
  await c.query(ADVANCE, [s.id, s.next_run_at && plan.next, lastStarted, buffered]);
}

/**
 * Inserts (or releases) the fire row and its run; false when the fire row existed already, the
 * workflow has no version, or the org's plan refuses new runs (the fire is then `skipped` with the
 * quota as its reason: docs/operating/usage.md).
 */
async function startRun(c: PoolClient, fire: 'new' | 'buffered', s: DueSchedule, nominal: Date, result: FireResult, logger?: Logger, quotas?: QuotaGuard): Promise<boolean> {
  const refusal = await quotas?.refusal(s.org_id);
  if (refusal) {
    await c.query(SKIP_FIRE_FOR_QUOTA, [newId(), s.org_id, s.id, nominal, refusal.message]);
    result.skipped++;
    logger?.info({ scheduleId: s.id, quota: refusal.quota }, 'schedule fire skipped: a quota of the plan is used up');
    return false;
  }
  // Each fire is the root of its run's trace (tracing on).
  const span = startSpan('weft.schedule.fire', { parent: null, kind: SpanKind.PRODUCER, attributes: { [ATTR.orgId]: s.org_id, [ATTR.workflowId]: s.workflow_id, 'weft.schedule_id': s.id, [ATTR.trigger]: 'schedule' } });
  const started = await startScheduledRun(c, { orgId: s.org_id, workflowId: s.workflow_id, scheduleId: s.id, nominal, inputs: s.inputs, traceParent: traceparentOf(span) }, fire).finally(() => endSpan(span));
  if (!started.hasVersion) logger?.warn({ scheduleId: s.id, workflowId: s.workflow_id }, 'scheduled workflow has no published version, or is disabled or deleted: fire skipped');
  if (started.jobs.length === 0) return false;
  quotas?.runStarted(s.org_id);
  result.started++;
  result.jobs.push(...started.jobs);
  result.outboxIds.push(...started.ids);
  return true;
}

/** One scheduler pass: fires in one transaction, then publishes the start jobs (the outbox relay covers a crash in between). */
export async function tickSchedules(pool: Pool, queues: Queues, o: Omit<SchedulerOptions, 'intervalMs'>, logger?: Logger, now?: Date): Promise<FireResult> {
  const result = await withTx(pool, (c) => fireDueSchedules(c, o, logger, now));
  await publishOutbox(pool, queues, result.outboxIds, result.jobs, logger);
  return result;
}

const MAX_PASSES = 10;

/**
 * Ticks every `intervalMs` until stopped; a full batch ticks again at once. Any number of
 * orchestrators may run one: the row locks and the fires' unique key keep each fire to one run.
 */
export function startScheduler(pool: Pool, queues: Queues, o: SchedulerOptions & { logger: Logger }): { stop(): Promise<void> } {
  if (o.intervalMs <= 0) return { stop: async () => undefined };
  return startTicker(o.intervalMs, async (isStopped) => {
    try {
      // A full batch means more may be due: a few more passes at once, then wait for the next tick.
      for (let pass = 0; pass < MAX_PASSES && !isStopped(); pass++) {
        if ((await tickSchedules(pool, queues, o, o.logger)).claimed < (o.batch ?? 100)) break;
      }
    } catch (err) {
      o.logger.warn({ err }, 'scheduler tick failed');
    }
  });
}
