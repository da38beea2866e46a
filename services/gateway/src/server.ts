import { valueLimits } from '@weft/config';
import { startTelemetry } from '@weft/telemetry';
import { keyringFromEnv } from '@weft/crypto';
import { openServiceDb, pendingMigrations } from '@weft/db';
import { loadFunctions } from '@weft/functions';
import { createLogger } from '@weft/logger';
import { Queues, assertNoEviction, createRedis, traceHopsTo } from '@weft/queue';
import { OutboxDeletes } from '@weft/run-store';
import { buildApp } from './app';
import { endpointsFromEnv } from '@weft/oauth';
import { publishKeyRevocations } from './auth/key-revocations';
import { bootstrapOrg } from './bootstrap';
import { authOptionsFromEnv } from './features/auth/auth-env';
import { parsePlatformAdmins, syncPlatformAdmins } from './features/auth/platform-admins';
import { loadEnv, rateLimitPolicies } from './env';

const env = loadEnv();
const logger = createLogger({ service: 'gateway', level: env.LOG_LEVEL });

async function main() {
  // First: tracing (OTEL_* variables; off unless an exporter or endpoint is set).
  const telemetry = await startTelemetry('weft-gateway', { env });
  if (telemetry.enabled) logger.info('tracing on: spans exported as the OTEL_* variables say');
  if (env.WEFT_TRACE_HOPS_DIR) traceHopsTo(env.WEFT_TRACE_HOPS_DIR, 'gateway');
  const pending = await pendingMigrations(env.DATABASE_URL);
  if (pending.length) throw new Error(`database schema is behind: pending migrations ${pending.join(', ')}`);
  // Requests narrow to their principal's org (withOrg, app.ts); sign-in and other public routes act across orgs.
  const db = await openServiceDb(env, logger);
  const redis = createRedis(env, 'producer');
  await assertNoEviction(redis);
  const queues = new Queues(redis, env.WEFT_QUEUE_PREFIX);
  let bootstrapOrgId: string | undefined;
  if (env.WEFT_BOOTSTRAP_API_KEY) {
    // A rotated bootstrap key stops working on the gateways still running with the old one.
    const { orgId, revokedHashes } = await bootstrapOrg(db, env.WEFT_BOOTSTRAP_API_KEY);
    await publishKeyRevocations(redis, env.WEFT_QUEUE_PREFIX, revokedHashes);
    bootstrapOrgId = orgId;
  }
  const platformAdmins = parsePlatformAdmins(env.WEFT_PLATFORM_ADMINS);
  if (platformAdmins) logger.info({ changed: await syncPlatformAdmins(db.pool, platformAdmins), admins: platformAdmins.size }, 'platform admins set from WEFT_PLATFORM_ADMINS');
  const outboxDeletes = new OutboxDeletes(db.pool, { logger });
  const keyring = keyringFromEnv(env);
  if (!keyring) logger.warn('WEFT_KEKS is not set: the secrets API answers 503 until key-encryption keys are configured');
  const app = await buildApp(
    { db, queues, redis, logger, prefix: env.WEFT_QUEUE_PREFIX, createSubscriber: () => createRedis(env, 'client'), outboxDeletes, limits: valueLimits(env), ...(keyring ? { keyring } : {}) },
    {
      maxBodyBytes: env.WEFT_MAX_BODY_BYTES,
      maxBodyDepth: env.WEFT_MAX_BODY_DEPTH,
      apiKeyCacheMs: env.WEFT_API_KEY_CACHE_MS,
      failedAuth: { max: env.WEFT_AUTH_FAILURE_LIMIT, windowMs: env.WEFT_AUTH_FAILURE_WINDOW_MS },
      platformOrg: env.WEFT_PLATFORM_ORG,
      corsOrigins: env.WEFT_CORS_ORIGINS.split(',').map((s) => s.trim()),
      functions: await loadFunctions(env.WEFT_FUNCTIONS_DIR),
      ...(env.WEFT_GATEWAY_PUBLIC_URL ? { publicUrl: env.WEFT_GATEWAY_PUBLIC_URL } : {}),
      auth: authOptionsFromEnv(env, db.pool, logger),
      oauth: { endpoints: endpointsFromEnv(env), ...(env.WEFT_OAUTH_REDIRECT_URL ? { redirectUri: env.WEFT_OAUTH_REDIRECT_URL } : {}) },
      webhooksPublicUrl: env.WEFT_WEBHOOKS_PUBLIC_URL,
      ...(env.WEFT_WEBHOOKS_INTERNAL_URL ? { webhooksInternalUrl: env.WEFT_WEBHOOKS_INTERNAL_URL } : {}),
      ...(bootstrapOrgId ? { bootstrapOrgId } : {}),
      rateLimits: { policies: rateLimitPolicies(env), limitBootstrapOrg: env.WEFT_RATE_LIMIT_BOOTSTRAP_ORG },
    },
  );
  await app.listen({ port: env.WEFT_GATEWAY_PORT, host: env.WEFT_GATEWAY_HOST });
  const shutdown = async (signal: string) => {
    logger.info({ signal }, 'gateway stopping');
    await app.close();
    await outboxDeletes.flush();
    await queues.close();
    redis.disconnect();
    await db.close();
    await telemetry.shutdown();
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((err) => {
  logger.fatal({ err }, `gateway failed to start: ${(err as Error).message}`);
  process.exit(1);
});
