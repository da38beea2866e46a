import { valueLimits } from '@weft/config';
import { startTelemetry } from '@weft/telemetry';
import { keyringFromEnv } from '@weft/crypto';
import { openServiceDb, pendingMigrations } from '@weft/db';
import { createLogger } from '@weft/logger';
import { Queues, assertNoEviction, createRedis } from '@weft/queue';
import { OutboxDeletes } from '@weft/run-store';
import { buildWebhooksApp } from './app';
import { loadEnv } from './env';

const env = loadEnv();
const logger = createLogger({ service: 'webhooks', level: env.LOG_LEVEL });

async function main() {
  // First: tracing (OTEL_* variables; off unless an exporter or endpoint is set).
  const telemetry = await startTelemetry('weft-webhooks', { env });
  if (telemetry.enabled) logger.info('tracing on: spans exported as the OTEL_* variables say');
  const pending = await pendingMigrations(env.DATABASE_URL);
  if (pending.length) throw new Error(`database schema is behind: pending migrations ${pending.join(', ')}`);
  // A delivery's hook is found by its id alone (any org, the maintenance role); the delivery then acts for the hook's org.
  const db = await openServiceDb(env, logger);
  const redis = createRedis(env, 'producer');
  await assertNoEviction(redis);
  const subscriber = createRedis(env, 'client');
  const queues = new Queues(redis, env.WEFT_QUEUE_PREFIX);
  const outboxDeletes = new OutboxDeletes(db.pool, { logger });
  const keyring = keyringFromEnv(env);
  if (!keyring) logger.warn('WEFT_KEKS is not set: only webhooks with scheme none accept deliveries');
  const app = await buildWebhooksApp(
    { db, queues, redis, subscriber, logger, prefix: env.WEFT_QUEUE_PREFIX, outboxDeletes, ...(keyring ? { keyring } : {}) },
    {
      maxBodyBytes: env.WEFT_WEBHOOKS_MAX_BODY_BYTES,
      dedupeWindowMs: env.WEFT_WEBHOOKS_DEDUPE_WINDOW_MS,
      rate: { perSecond: env.WEFT_WEBHOOKS_RATE_PER_SEC, burst: env.WEFT_WEBHOOKS_RATE_BURST },
      orgRate: { perSecond: env.WEFT_WEBHOOKS_ORG_RATE_PER_SEC, burst: env.WEFT_WEBHOOKS_ORG_RATE_BURST },
      gatewayUrl: env.WEFT_GATEWAY_PUBLIC_URL.replace(/\/$/, ''),
      limits: valueLimits(env),
      hookCacheMs: env.WEFT_WEBHOOKS_HOOK_CACHE_MS,
    },
  );
  await app.listen({ port: env.WEFT_WEBHOOKS_PORT, host: env.WEFT_WEBHOOKS_HOST });
  const shutdown = async (signal: string) => {
    logger.info({ signal }, 'webhooks stopping');
    await app.close();
    await outboxDeletes.flush();
    await queues.close();
    subscriber.disconnect();
    redis.disconnect();
    await db.close();
    await telemetry.shutdown();
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((err) => {
  logger.fatal({ err }, `webhooks failed to start: ${(err as Error).message}`);
  process.exit(1);
});
