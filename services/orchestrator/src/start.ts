import { QuotaGuard } from '@weft/billing';
import { startOutboxRelay } from '@weft/run-store';
import type { Logger } from '@weft/logger';
import { QUEUES, UNLOCKED_FIRST, createWorker, markHop, type Queues } from '@weft/queue';
import type { RedisClient } from '@weft/queue';
import type { Pool } from 'pg';
import { DEFAULT_ORCHESTRATOR_LIMITS, advanceRun, type OrchestratorLimits } from '@weft/run-core';
import { RunCoalescer } from './run-coalescer';
import { startScheduler, type SchedulerOptions } from './scheduler';
import { startSweeper } from './sweeper';
import { startRetention, type RetentionOptions } from './retention';
import { startUsageJob, type UsageJobOptions } from './usage-job';
import { GraphCache, OutboxDeletes, RunBus, RunOrgs } from '@weft/run-store';
import { asMaintenance } from '@weft/db';

export interface OrchestratorOptions {
  pool: Pool;
  queues: Queues;
  /** A dedicated blocking connection for the worker. */
  workerConnection: RedisClient;
  prefix: string;
  logger: Logger;
  concurrency: number;
  relayIntervalMs: number;
  relayGraceMs: number;
  /** Pause between batched DELETEs of published outbox rows (default OUTBOX_DELETE_INTERVAL_MS). */
  outboxDeleteIntervalMs?: number;
  sweepIntervalMs: number;
  sweepGraceMs: number;
  /** Worker losses a step may have and still be re-queued; the next one fails it with `worker_lost`. Default 3. */
  maxStepLosses?: number;
  reconcileAfterMs: number;
  /** Evaluate trigger/transform/branch inside the orchestrator (no queue hop). Default true. */
  inlinePureSteps?: boolean;
  /** Budgets of steps and limits of run shapes (default: DEFAULT_ORCHESTRATOR_LIMITS). */
  limits?: OrchestratorLimits;
  /** Fires cron schedules (scheduler.ts); without it this process does not tick schedules. */
  scheduler?: SchedulerOptions;
  /** Clears run data past each org's retention (retention.ts); without it this process does not. */
  retention?: RetentionOptions & { intervalMs: number };
  /** The daily usage aggregation and billing report (usage-job.ts); without it this process does not run it. */
  usage?: Omit<UsageJobOptions, 'logger'>;
}

/** Starts consuming run advances, relaying the outbox, sweeping, and (with `scheduler`) firing schedules. */
export function startOrchestrator(o: OrchestratorOptions) {
  const bus = new RunBus(o.queues.connection, o.prefix);
  const outboxDeletes = new OutboxDeletes(o.pool, { logger: o.logger, ...(o.outboxDeleteIntervalMs ? { intervalMs: o.outboxDeleteIntervalMs } : {}) });
  const res = { pool: o.pool, queues: o.queues, graphs: new GraphCache(o.pool), logger: o.logger, bus, outboxDeletes, inlinePureSteps: o.inlinePureSteps ?? true, limits: o.limits ?? DEFAULT_ORCHESTRATOR_LIMITS };
  // Jobs of a run that arrive while one of its transitions runs share one follow-up transition.
  const turns = new RunCoalescer((runId, unlocked) => advanceRun(res, runId, { unlocked }));
  // A run's transitions act for its org only (row-level security): its steps, events, outbox rows,
  // child runs and the parent it wakes are all of that org.
  const runOrgs = new RunOrgs(o.pool);
  const worker = createWorker(
    QUEUES.orchestrator,
    async (job) => {
      markHop('orch.pick', job.data.runId, job.id ?? '');
      // Every reason does the same (fold in what is new: the row decides); start and settled-step
      // jobs first try the unlocked transition.
      await runOrgs.forRun(
        job.data.runId,
        () => {
          // Bench `hops`: the run's org is known (a new run's costs a statement).
          markHop('orch.scoped', job.data.runId, job.id ?? '');
          return turns.run(job.data.runId, UNLOCKED_FIRST.has(job.name));
        },
        () => o.logger.debug({ runId: job.data.runId, reason: job.name }, 'job of a run that no longer exists: skipped'),
      );
      markHop('orch.done', job.data.runId, job.id ?? '');
    },
    { connection: o.workerConnection, prefix: o.prefix, concurrency: o.concurrency, autorun: true },
  );
  worker.on('failed', (job, err) => o.logger.error({ err, runId: job?.data?.runId, reason: job?.name }, 'run transition failed'));
  worker.on('error', (err) => o.logger.error({ err }, 'orchestrator worker error'));
  // Cross-org maintenance, across every org by design (README, Row-level security): the outbox
  // relay, the sweeper and reconciler, the scheduler's scans, retention and usage aggregation act as
  // the maintenance role; their timers keep the scope they are started in.
  const { relay, sweeper, scheduler, retention, usage } = asMaintenance(() => ({
    relay: startOutboxRelay(o.pool, o.queues, { intervalMs: o.relayIntervalMs, graceMs: o.relayGraceMs, logger: o.logger }),
    sweeper: startSweeper(o.pool, o.queues, { intervalMs: o.sweepIntervalMs, graceMs: o.sweepGraceMs, maxLosses: o.maxStepLosses ?? 3, reconcileAfterMs: o.reconcileAfterMs, logger: o.logger }),
    scheduler: o.scheduler ? startScheduler(o.pool, o.queues, { quotas: new QuotaGuard(o.pool), ...o.scheduler, logger: o.logger }) : undefined,
    retention: o.retention ? startRetention(o.pool, { ...o.retention, logger: o.logger }) : undefined,
    usage: o.usage ? startUsageJob(o.pool, { ...o.usage, logger: o.logger }) : undefined,
  }));
  return {
    worker,
    async stop() {
      await scheduler?.stop();
      await retention?.stop();
      await usage?.stop();
      await sweeper.stop();
      await relay.stop();
      await worker.close();
      await outboxDeletes.flush();
    },
  };
}
