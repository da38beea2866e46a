import { keyringFromEnv } from '@weft/crypto';
import { endpointsFromEnv } from '@weft/oauth';
import { startTelemetry } from '@weft/telemetry';
import { evaluationLimits, lowerPriority, runShapeLimits } from '@weft/config';
import { openServiceDb, pendingMigrations } from '@weft/db';
import { loadFunctions } from '@weft/functions';
import { FeatureFlags } from '@weft/flags';
import { createLogger } from '@weft/logger';
import { devMailbox, smtpMailer } from '@weft/mail';
import { startWorkerOps } from '@weft/metrics';
import { QUEUES, Queues, assertNoEviction, createRedis, traceHopsTo } from '@weft/queue';
import { loadEnv } from './env';
import { startExecutor } from './start';

const env = loadEnv();
const logger = createLogger({ service: 'executor', level: env.LOG_LEVEL });

async function main() {
  // First: tracing (OTEL_* variables; off unless an exporter or endpoint is set).
  const telemetry = await startTelemetry('weft-executor', { env });
  if (telemetry.enabled) logger.info('tracing on: spans exported as the OTEL_* variables say');
  if (env.WEFT_TRACE_HOPS_DIR) traceHopsTo(env.WEFT_TRACE_HOPS_DIR, 'executor');
  const pending = await pendingMigrations(env.DATABASE_URL);
  if (pending.length) throw new Error(`database schema is behind: pending migrations ${pending.join(', ')}`);
  // Outside a job, the maintenance role (lease renewals, alerts); each job acts for its run's org (start.ts).
  const db = await openServiceDb(env, logger);
  const producer = createRedis(env, 'producer');
  await assertNoEviction(producer);
  const queues = new Queues(producer, env.WEFT_QUEUE_PREFIX);
  const ops = await startWorkerOps({
    service: 'executor',
    port: env.WEFT_METRICS_PORT,
    host: env.WEFT_METRICS_HOST,
    pool: db.pool,
    redis: producer,
    queues: Object.values(QUEUES).map((name) => queues.queue(name)),
  });
  const workerConnection = createRedis(env, 'worker');
  const subscriberConnection = createRedis(env, 'worker');
  const functions = await loadFunctions(env.WEFT_FUNCTIONS_DIR);
  logger.info({ functions: [...functions.keys()] }, 'registered functions loaded');
  const keyring = keyringFromEnv(env);
  if (!keyring) logger.warn('WEFT_KEKS is not set: steps that use {{ secrets.NAME }} will fail with secrets_unavailable');
  const flags = await FeatureFlags.start({ pool: db.pool, redis: producer, prefix: env.WEFT_QUEUE_PREFIX, onError: (err) => logger.warn({ err }, 'feature flags: re-read failed (the last values stay)') });
  const executor = startExecutor({
    flags,
    pool: db.pool,
    queues,
    workerConnection,
    subscriberConnection,
    prefix: env.WEFT_QUEUE_PREFIX,
    logger,
    concurrency: env.WEFT_EXECUTOR_CONCURRENCY,
    defaultTimeoutMs: env.WEFT_STEP_DEFAULT_TIMEOUT_MS,
    leaseMs: env.WEFT_STEP_LEASE_MS,
    outboxDeleteIntervalMs: env.WEFT_OUTBOX_DELETE_INTERVAL_MS,
    httpAllowCidrs: env.WEFT_HTTP_ALLOW_CIDRS,
    httpMaxResponseBytes: env.WEFT_HTTP_MAX_RESPONSE_BYTES,
    breakerFailures: env.WEFT_HTTP_BREAKER_FAILURES,
    breakerCooldownMs: env.WEFT_HTTP_BREAKER_COOLDOWN_MS,
    smtpRequireTls: env.WEFT_SMTP_REQUIRE_TLS,
    functions,
    ...(keyring ? { keyring } : {}),
    limits: evaluationLimits(env),
    settleInPlace: env.WEFT_EXECUTOR_SETTLES,
    eagerDispatch: env.WEFT_EAGER_DISPATCH,
    oneStatement: env.WEFT_SETTLE_IN_ONE_STATEMENT,
    iterationSuccessors: env.WEFT_ITERATION_SUCCESSORS,
    inlinePureSteps: env.WEFT_INLINE_PURE_STEPS,
    runLimits: { evaluation: evaluationLimits(env), ...runShapeLimits(env) },
    oauthEndpoints: endpointsFromEnv(env),
    oauthRefreshMarginMs: env.WEFT_OAUTH_REFRESH_MARGIN_MS,
    alerts:
      env.WEFT_ALERTS_CONCURRENCY === 0
        ? false
        : {
            concurrency: env.WEFT_ALERTS_CONCURRENCY,
            dashboardUrl: env.WEFT_DASHBOARD_PUBLIC_URL,
            mailer: env.WEFT_SMTP_URL ? smtpMailer(env.WEFT_SMTP_URL, env.WEFT_MAIL_FROM) : env.WEFT_DEV_MAILBOX ? devMailbox(db.pool, logger) : null,
          },
    integrationUrls: {
      openai: env.WEFT_OPENAI_API_URL,
      gemini: env.WEFT_GEMINI_API_URL,
      slack: env.WEFT_SLACK_API_URL,
      googleSheets: env.WEFT_GOOGLE_SHEETS_API_URL,
    },
  });
  logger.info({ concurrency: env.WEFT_EXECUTOR_CONCURRENCY, priority: lowerPriority(env.WEFT_WORKER_NICE) }, 'executor started');
  const shutdown = async (signal: string) => {
    logger.info({ signal, graceMs: env.WEFT_SHUTDOWN_GRACE_MS }, 'executor stopping: finishing running steps');
    await executor.stop(env.WEFT_SHUTDOWN_GRACE_MS);
    await flags.stop();
    await ops.close();
    await queues.close();
    producer.disconnect();
    workerConnection.disconnect();
    subscriberConnection.disconnect();
    await db.close();
    await telemetry.shutdown();
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((err) => {
  logger.fatal({ err }, `executor failed to start: ${(err as Error).message}`);
  process.exit(1);
});
