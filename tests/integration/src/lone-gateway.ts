import type { AddressInfo } from 'node:net';
import type { Keyring } from '@weft/crypto';
import { SCOPE_STATEMENT, createDb, type Db } from '@weft/db';
import { bootstrapOrg, buildApp, generateApiKey, type AppOptions } from '@weft/gateway';
import { createLogger } from '@weft/logger';
import { Queues, createRedis } from '@weft/queue';
import { createTestDatabase, createTestRedis, type TestDatabase } from '@weft/testing';

export type GatewayApp = Awaited<ReturnType<typeof buildApp>>;

export interface LoneGateway {
  app: GatewayApp;
  /** http://127.0.0.1:<port> of the listening gateway. */
  url: string;
  db: Db;
  databaseUrl: string;
  /** The bootstrap (admin) key of org "default". */
  apiKey: string;
  orgId: string;
  /** Queries sent to Postgres through this gateway's pool since it started. */
  queries(): number;
  /** A key of org "default" with this role (inserted straight into Postgres, any role string). */
  keyWithRole(role: string): Promise<string>;
  /** The Redis this gateway uses and its key prefix (pass as `redis` to boot a second gateway of the installation). */
  redis: { url: string; prefix: string };
  /** Stops the gateway; drops the database unless it was passed in. */
  stop(): Promise<void>;
}

export interface LoneGatewayOptions {
  app?: AppOptions;
  /** Boot on this database (another boot of the same installation) instead of a fresh one. */
  database?: TestDatabase;
  /** WEFT_BOOTSTRAP_API_KEY of this boot (default: a new key). */
  bootstrapKey?: string;
  /** false: built but not listening (routes can still be added; use app.inject). */
  listen?: boolean;
  /** Share this Redis prefix (another gateway process of the same installation) instead of a fresh one. */
  redis?: { url: string; prefix: string };
  /** KEKs for the secrets API (without them it answers 503). */
  keyring?: Keyring;
}

/**
 * The gateway alone, booted as `server.ts` boots it (bootstrap key, then the app) on real Postgres
 * and Redis, listening on loopback; no orchestrator or executor. Its pool counts queries.
 */
export async function startLoneGateway(opts: LoneGatewayOptions = {}): Promise<LoneGateway> {
  const database = opts.database ?? (await createTestDatabase());
  const redisInfo = opts.redis ? { ...opts.redis, cleanup: async () => undefined } : await createTestRedis();
  // As server.ts opens it: row-level security on, requests narrowing to their org.
  const db = createDb({ url: database.url, poolMax: 5, rls: { default: 'maintenance' } });
  let queries = 0;
  db.pool.on('connect', (client) => {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    // The work's queries: a connection switching to another org's scope is row-level security's cost, not counted here.
    (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args) => (args[0] !== SCOPE_STATEMENT && queries++, query(...args));
  });
  const redis = createRedis(redisInfo.url, 'producer');
  const queues = new Queues(redis, redisInfo.prefix);
  const apiKey = opts.bootstrapKey ?? generateApiKey();
  const logger = createLogger({ service: 'test', level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  const release = async () => {
    await queues.close();
    redis.disconnect();
    await db.close();
    await redisInfo.cleanup();
    if (!opts.database) await database.drop();
  };
  let booted;
  try {
    const { orgId } = await bootstrapOrg(db, apiKey);
    const app = await buildApp(
      { db, queues, redis, logger, prefix: redisInfo.prefix, createSubscriber: () => createRedis(redisInfo.url, 'client'), ...(opts.keyring ? { keyring: opts.keyring } : {}) },
      // As server.ts: the bootstrap org is not rate limited unless the options say so.
      { bootstrapOrgId: orgId, ...opts.app },
    );
    if (opts.listen !== false) await app.listen({ port: 0, host: '127.0.0.1' });
    booted = { orgId, app };
  } catch (err) {
    await release();
    throw err;
  }
  const { orgId, app } = booted;
  return {
    app,
    url: opts.listen === false ? '' : `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`,
    db,
    databaseUrl: database.url,
    apiKey,
    orgId,
    queries: () => queries,
    redis: { url: redisInfo.url, prefix: redisInfo.prefix },
    async keyWithRole(role) {
      const key = generateApiKey();
      await db.pool.query(`INSERT INTO api_keys (id, org_id, name, prefix, hash, role) VALUES ($1, $2, $3, 'weft_', encode(sha256($4::bytea), 'hex'), $3)`, [crypto.randomUUID(), orgId, role, key]);
      return key;
    },
    async stop() {
      await app.close();
      await release();
    },
  };
}
