import { createServer, type AddressInfo } from 'node:net';
import { createLogger } from '@weft/logger';
import { createRedis } from '@weft/queue';
import { buildWebhooksApp, type WebhooksOptions } from '@weft/webhooks';
import type { Platform } from './platform';

export interface WebhooksService {
  url: string;
  /** POSTs a delivery to /hooks/:id: status, headers and the body (parsed when JSON). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  deliver(hookId: string, body: string | Buffer, headers?: Record<string, string>, query?: string): Promise<{ status: number; headers: Headers; body: any }>;
  stop(): Promise<void>;
}

/** The webhooks service of a platform, on a loopback port, on the platform's Postgres and Redis. */
export async function startWebhooksService(p: Platform, opts: Partial<WebhooksOptions> = {}, port = 0): Promise<WebhooksService> {
  const redis = createRedis(p.redisTarget, 'producer');
  const subscriber = createRedis(p.redisTarget, 'client');
  const logger = createLogger({ service: 'webhooks-test', level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  const app = await buildWebhooksApp(
    { db: p.db, queues: p.queues, redis, subscriber, logger, prefix: p.prefix, keyring: p.keyring },
    {
      maxBodyBytes: 64 * 1024, dedupeWindowMs: 24 * 3600 * 1000, rate: { perSecond: 1000, burst: 1000 }, orgRate: { perSecond: 1000, burst: 1000 }, gatewayUrl: p.url,
      limits: { maxValueBytes: 1024 * 1024, maxValueDepth: 64 }, ...opts,
    },
  );
  await app.listen({ port, host: '127.0.0.1' });
  const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  return {
    url,
    async deliver(hookId, body, headers = {}, query = '') {
      const r = await fetch(`${url}/hooks/${hookId}${query}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
      const text = await r.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : null;
      } catch {
        /* a text answer */
      }
      return { status: r.status, headers: r.headers, body: parsed };
    },
    async stop() {
      await app.close();
      subscriber.disconnect();
      redis.disconnect();
    },
  };
}

/** A loopback port free right now (for a webhooks service the gateway must know the URL of before it starts). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
