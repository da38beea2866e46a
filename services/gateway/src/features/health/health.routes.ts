import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Resources } from '../../resources';

const Health = z.object({ status: z.string(), checks: z.record(z.string(), z.string()).optional() });

export const healthRoutes =
  (res: Resources): FastifyPluginAsyncZod =>
  async (app) => {
    app.get('/healthz', { config: { access: 'public' }, schema: { tags: ['health'], operationId: 'getLiveness', summary: 'Liveness', security: [], response: { 200: Health } } }, async () => ({ status: 'ok' }));

    app.get('/readyz', { config: { access: 'public' }, schema: { tags: ['health'], operationId: 'getReadiness', summary: 'Readiness: Postgres and Redis reachable', security: [], response: { 200: Health, 503: Health } } }, async (_req, reply) => {
      const checks: Record<string, string> = {};
      const timeout = (ms: number) => new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), ms).unref());
      await Promise.race([res.db.pool.query('SELECT 1'), timeout(2000)]).then(() => (checks.postgres = 'ok'), (e: Error) => (checks.postgres = e.message));
      await Promise.race([res.redis.ping(), timeout(2000)]).then(() => (checks.redis = 'ok'), (e: Error) => (checks.redis = e.message));
      const ok = Object.values(checks).every((v) => v === 'ok');
      return reply.status(ok ? 200 : 503).send({ status: ok ? 'ok' : 'unavailable', checks });
    });
  };
