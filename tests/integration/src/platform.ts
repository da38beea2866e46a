import type { AddressInfo } from 'node:net';
import { Keyring } from '@weft/crypto';
import { createDb, type Db } from '@weft/db';
import { startExecutor, type IntegrationUrls } from '@weft/executor';
import { bootstrapOrg, buildApp, generateApiKey, type AppOptions } from '@weft/gateway';
import { loadFunctions } from '@weft/functions';
import { createLogger, type Logger } from '@weft/logger';
import type { ProviderEndpointMap } from '@weft/oauth';
import type { Mailer } from '@weft/mail';
import { DEFAULT_LIMITS, type Limits } from '@weft/engine';
import { DEFAULT_ORCHESTRATOR_LIMITS, startOrchestrator, type OrchestratorLimits, type SchedulerOptions } from '@weft/orchestrator';
import { Queues, createRedis, type RedisEnv } from '@weft/queue';
import { WeftClient } from '@weft/sdk';
import { createTestDatabase, createTestRedis } from '@weft/testing';

export interface Platform {
  url: string;
  /** The gateway itself, for `app.inject` (no socket) where a test sends many requests. */
  app: Awaited<ReturnType<typeof buildApp>>;
  apiKey: string;
  orgId: string;
  client: WeftClient;
  db: Db;
  /** Connection URL of the platform's own database (for tools run as separate processes). */
  databaseUrl: string;
  /** The Redis the platform uses, and its key prefix (queues and live-run channels). */
  redisUrl: string;
  /** Where the platform's connections go: `redisUrl`, or the cluster of WEFT_TEST_REDIS_CLUSTER_NODES (pass to createRedis). */
  redisTarget: RedisEnv;
  prefix: string;
  queues: Queues;
  /** Stops the orchestrator and executor (as a crash or deploy would), and starts fresh ones. */
  stopWorkers(): Promise<void>;
  /** `keyring` replaces the executor's KEKs from then on (rotation tests). */
  startWorkers(opts?: { keyring?: Keyring }): Promise<void>;
  /** The key-encryption keys the gateway and executor were started with. */
  keyring: Keyring;
  /** A client for another org, to prove isolation. */
  newOrgClient(): Promise<WeftClient>;
  stop(): Promise<void>;
}

export interface PlatformOptions {
  executorConcurrency?: number;
  httpAllowCidrs?: string;
  /** Consecutive failures that open a host's circuit (default: effectively never). */
  breakerFailures?: number;
  /** Base URLs of Slack, Google and LLM APIs (local look-alike servers in tests). */
  integrationUrls?: Partial<IntegrationUrls>;
  /** false: trigger/transform/branch go through the queue to the executor instead of inline. */
  inlinePureSteps?: boolean;
  /** false: the gateway alone, no orchestrator or executor (tests that set run state by hand). */
  workers?: boolean;
  /** Gateway live-run tuning (e.g. a short heartbeat). */
  live?: AppOptions['live'];
  /** Gateway sign-in settings (e.g. the studio's URL, the development mailbox page). */
  auth?: AppOptions['auth'];
  /** Logger of every part (default: silent, or TEST_LOG_LEVEL). */
  logger?: Logger;
  /** KEKs of the gateway and executor (default: one fresh random KEK per platform). */
  keyring?: Keyring;
  /** Budgets and limits of every part (default: the production defaults), e.g. small ones to reach them cheaply. */
  limits?: Partial<Omit<OrchestratorLimits, 'evaluation'>> & { evaluation?: Partial<Limits> };
  /**
   * How long a run may sit without moving before the reconciler re-publishes its work. The default
   * is ten minutes, beyond any test: the reconciler exists for Redis losing work, and a wake-up the
   * pipeline itself loses must show as a stuck run, not be repaired a second later. Tests of
   * Redis loss set it short.
   */
  reconcileAfterMs?: number;
  /** The webhooks service's base URL the gateway names in hooks' `url` and sends test events to (start it there: startWebhooksService's `port`). */
  webhooksUrl?: string;
  /** The orchestrator's scheduler (default: off, so that tests tick schedules themselves). */
  scheduler?: SchedulerOptions;
  /** OAuth connections: provider endpoints (local doubles in tests) of the gateway and the executor; the redirect URI is the gateway's own callback. */
  oauth?: { endpoints: ProviderEndpointMap; refreshMarginMs?: number };
  /** Run on this (migrated) database instead of a fresh one, and leave it in place at stop (restore drills). */
  databaseUrl?: string;
  /** The executor's mailer for email alerts (default: the development mailbox). */
  alertMailer?: Mailer;
}

/**
 * The whole pipeline in one process, on real parts: a fresh Postgres database, a private Redis
 * key prefix, the gateway on a loopback port, an orchestrator and an executor.
 */
export async function startPlatform(opts: PlatformOptions = {}): Promise<Platform> {
  const database = opts.databaseUrl ? { url: opts.databaseUrl, drop: async () => undefined } : await createTestDatabase();
  const redisInfo = await createTestRedis();
  const logger = opts.logger ?? createLogger({ service: 'test', level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  // Row-level security on, as the services open their Db: workers act as the maintenance role,
  // gateway requests for their principal's org only.
  const db = createDb({ url: database.url, poolMax: 20, rls: { default: 'maintenance' } });
  // One Redis, or the cluster of WEFT_TEST_REDIS_CLUSTER_NODES (the Redis Cluster test runs pipeline files that way).
  const redisTarget = { REDIS_URL: redisInfo.url, REDIS_CLUSTER_NODES: redisInfo.clusterNodes };
  const producer = createRedis(redisTarget, 'producer');
  const queues = new Queues(producer, redisInfo.prefix);
  const connections = [producer];
  const functions = await loadFunctions(new URL('../../../functions', import.meta.url).pathname);
  const withWorkers = opts.workers ?? true;
  const evaluation = { ...DEFAULT_LIMITS, ...opts.limits?.evaluation };
  const limits: OrchestratorLimits = { ...DEFAULT_ORCHESTRATOR_LIMITS, ...opts.limits, evaluation };
  const keyring = opts.keyring ?? Keyring.generate();
  let workerKeyring = keyring;
  const startWorkers = () => {
    const conns = [createRedis(redisTarget, 'worker'), createRedis(redisTarget, 'worker'), createRedis(redisTarget, 'worker')];
    const orchestrator = startOrchestrator({
      pool: db.pool, queues, workerConnection: conns[0]!, prefix: redisInfo.prefix, logger,
      concurrency: 8, relayIntervalMs: 200, relayGraceMs: 1000, sweepIntervalMs: 200, sweepGraceMs: 300, reconcileAfterMs: opts.reconcileAfterMs ?? 600_000,
      inlinePureSteps: opts.inlinePureSteps ?? true,
      limits,
      ...(opts.scheduler ? { scheduler: opts.scheduler } : {}),
    });
    const executor = startExecutor({
      pool: db.pool, queues, workerConnection: conns[1]!, subscriberConnection: conns[2]!, prefix: redisInfo.prefix, logger,
      concurrency: opts.executorConcurrency ?? 16, defaultTimeoutMs: 10_000, leaseMs: 5_000,
      httpAllowCidrs: opts.httpAllowCidrs ?? '127.0.0.0/8', httpMaxResponseBytes: 1024 * 1024,
      // Every test file talks to one loopback echo host: only the breaker test trips it on purpose.
      breakerFailures: opts.breakerFailures ?? 1000, breakerCooldownMs: 500,
      ...(opts.integrationUrls ? { integrationUrls: opts.integrationUrls } : {}),
      ...(opts.oauth ? { oauthEndpoints: opts.oauth.endpoints, ...(opts.oauth.refreshMarginMs !== undefined ? { oauthRefreshMarginMs: opts.oauth.refreshMarginMs } : {}) } : {}),
      functions,
      keyring: workerKeyring,
      limits: evaluation,
      inlinePureSteps: opts.inlinePureSteps ?? true,
      runLimits: limits,
      ...(opts.alertMailer ? { alerts: { mailer: opts.alertMailer } } : {}),
    });
    return {
      async stop() {
        await executor.stop();
        await orchestrator.stop();
        for (const c of conns) c.disconnect();
      },
    };
  };
  let workers = withWorkers ? startWorkers() : undefined;
  const apiKey = generateApiKey();
  const { orgId } = await bootstrapOrg(db, apiKey);
  let gatewayUrl = '';
  const app = await buildApp(
    { db, queues, redis: producer, logger, prefix: redisInfo.prefix, createSubscriber: () => createRedis(redisTarget, 'client'), keyring, limits: evaluation },
    { functions, bootstrapOrgId: orgId, ...(opts.live ? { live: opts.live } : {}), ...(opts.auth ? { auth: opts.auth } : {}), ...(opts.webhooksUrl ? { webhooksPublicUrl: opts.webhooksUrl } : {}),
      ...(opts.oauth ? { oauth: { endpoints: opts.oauth.endpoints, redirectUri: () => `${gatewayUrl}/v1/oauth/callback` } } : {}) },
  );
  await app.listen({ port: 0, host: '127.0.0.1' });
  const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  gatewayUrl = url;
  return {
    url,
    app,
    apiKey,
    orgId,
    db,
    databaseUrl: database.url,
    redisUrl: redisInfo.url,
    redisTarget,
    prefix: redisInfo.prefix,
    queues,
    keyring,
    client: new WeftClient({ baseUrl: url, apiKey }),
    async newOrgClient() {
      const key = generateApiKey();
      const otherOrg = crypto.randomUUID();
      await db.pool.query(`INSERT INTO orgs (id, slug, name) VALUES ($1, $2, 'Other org')`, [otherOrg, `other-${otherOrg}`]);
      await db.pool.query(`INSERT INTO api_keys (id, org_id, name, prefix, hash, role) VALUES ($1, $2, 'other', 'weft_', encode(sha256($3::bytea), 'hex'), 'admin')`, [crypto.randomUUID(), otherOrg, key]);
      return new WeftClient({ baseUrl: url, apiKey: key });
    },
    async stopWorkers() {
      await workers?.stop();
      workers = undefined;
    },
    async startWorkers(o = {}) {
      if (o.keyring) workerKeyring = o.keyring;
      workers ??= startWorkers();
    },
    async stop() {
      await app.close();
      await workers?.stop();
      await queues.close();
      for (const c of connections) c.disconnect();
      await db.close();
      await redisInfo.cleanup();
      await database.drop();
    },
  };
}
