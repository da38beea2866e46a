import { evaluationLimits, lowerPriority, runShapeLimits } from '@weft/config';
import { startTelemetry } from '@weft/telemetry';
import { openServiceDb, pendingMigrations } from '@weft/db';
import { createLogger } from '@weft/logger';
import { registerOutboxMetrics, startWorkerOps } from '@weft/metrics';
import { QUEUES, Queues, assertNoEviction, createRedis, traceHopsTo } from '@weft/queue';
import { StripeMeterEvents } from '@weft/billing';
import { loadEnv } from './env';
import { startOrchestrator } from './start';

const env = loadEnv();
const logger = createLogger({ service: 'orchestrator', level: env.LOG_LEVEL });

async function main() {
  // First: tracing (OTEL_* variables; off unless an exporter or endpoint is set).
  const telemetry = await startTelemetry('weft-orchestrator', { env });
  if (telemetry.enabled) logger.info('tracing on: spans exported as the OTEL_* variables say');
  if (env.WEFT_TRACE_HOPS_DIR) traceHopsTo(env.WEFT_TRACE_HOPS_DIR, 'orchestrator');
  const pending = await pendingMigrations(env.DATABASE_URL);
  if (pending.length) throw new Error(`database schema is behind: pending migrations ${pending.join(', ')} (run npm start or the migrate script)`);
  // Relay, sweeper, reconciler, scheduler act across orgs (the maintenance role); each transition for its run's org (start.ts).
  const db = await openServiceDb(env, logger);
  const producer = createRedis(env, 'producer');
  await assertNoEviction(producer);
  const queues = new Queues(producer, env.WEFT_QUEUE_PREFIX);
  const ops = await startWorkerOps({
    service: 'orchestrator',
    port: env.WEFT_METRICS_PORT,
    host: env.WEFT_METRICS_HOST,
    pool: db.pool,
    redis: producer,
    queues: Object.values(QUEUES).map((name) => queues.queue(name)),
  });
  // The relay runs here: its lag is this service's to tell.
  registerOutboxMetrics(ops.registry, db.pool);
  const workerConnection = createRedis(env, 'worker');
  const orchestrator = startOrchestrator({
    pool: db.pool,
    queues,
    workerConnection,
    prefix: env.WEFT_QUEUE_PREFIX,
    logger,
    concurrency: env.WEFT_ORCHESTRATOR_CONCURRENCY,
    relayIntervalMs: env.WEFT_OUTBOX_RELAY_INTERVAL_MS,
    relayGraceMs: env.WEFT_OUTBOX_GRACE_MS,
    outboxDeleteIntervalMs: env.WEFT_OUTBOX_DELETE_INTERVAL_MS,
    sweepIntervalMs: env.WEFT_SWEEP_INTERVAL_MS,
    sweepGraceMs: env.WEFT_SWEEP_GRACE_MS,
    maxStepLosses: env.WEFT_STEP_MAX_LOSSES,
    reconcileAfterMs: env.WEFT_RECONCILE_AFTER_MS,
    inlinePureSteps: env.WEFT_INLINE_PURE_STEPS,
    scheduler: {
      intervalMs: env.WEFT_SCHEDULER_INTERVAL_MS,
      batch: env.WEFT_SCHEDULER_BATCH,
      misfireGraceMs: env.WEFT_SCHEDULE_MISFIRE_GRACE_MS,
      windowMs: env.WEFT_SCHEDULE_CATCHUP_WINDOW_MS,
      maxFires: env.WEFT_SCHEDULE_CATCHUP_MAX,
    },
    limits: { evaluation: evaluationLimits(env), ...runShapeLimits(env) },
    ...(env.WEFT_RETENTION_INTERVAL_MS > 0
      ? { retention: { intervalMs: env.WEFT_RETENTION_INTERVAL_MS, batch: env.WEFT_RETENTION_BATCH, ...(env.WEFT_RETENTION_EXPORT_DIR ? { exportDir: env.WEFT_RETENTION_EXPORT_DIR } : {}) } }
      : {}),
    usage: {
      intervalMs: env.WEFT_USAGE_AGGREGATE_INTERVAL_MS,
      ...(env.WEFT_STRIPE_API_KEY ? { provider: new StripeMeterEvents({ apiKey: env.WEFT_STRIPE_API_KEY, baseUrl: env.WEFT_STRIPE_API_URL }) } : {}),
    },
  });
  logger.info({ concurrency: env.WEFT_ORCHESTRATOR_CONCURRENCY, priority: lowerPriority(env.WEFT_WORKER_NICE) }, 'orchestrator started');
  const shutdown = async (signal: string) => {
    logger.info({ signal }, 'orchestrator stopping');
    await orchestrator.stop();
    await ops.close();
    await queues.close();
    producer.disconnect();
    workerConnection.disconnect();
    await db.close();
    await telemetry.shutdown();
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((err) => {
  logger.fatal({ err }, `orchestrator failed to start: ${(err as Error).message}`);
  process.exit(1);
});
