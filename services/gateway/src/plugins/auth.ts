import { createHash, randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Resources } from '../resources';
import { AppError } from '../errors';

export interface AuthContext {
  orgId: string;
  keyId: string;
  role: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    auth: AuthContext;
  }
}

export const hashApiKey = (key: string) => createHash('sha256').update(key).digest('hex');

/** A new API key: `weft_` + 32 random bytes, base64url. Only its SHA-256 is stored. */
export const generateApiKey = () => `weft_${randomBytes(32).toString('base64url')}`;

/**
 * Bearer API-key auth on every /v1 route. Verified keys are cached briefly (hash → org) so the
 * hot path does not hit Postgres per request; revocation takes effect within the cache TTL.
 */
export function registerAuth(app: FastifyInstance, res: Resources, cacheMs: number) {
  const cache = new Map<string, AuthContext & { until: number }>();
  app.decorateRequest('auth', null as unknown as AuthContext);
  app.addHook('onRequest', async (req: FastifyRequest) => {
    if (!req.url.startsWith('/v1/')) return;
    const header = req.headers.authorization;
    const key = header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
    if (!key) throw new AppError('unauthorized', 'send an API key as "Authorization: Bearer <key>"');
    const hash = hashApiKey(key);
    const now = Date.now();
    const hit = cache.get(hash);
    if (hit && hit.until > now) {
      req.auth = hit;
      return;
    }
    const row = await res.db.prisma.apiKey.findUnique({ where: { hash }, select: { id: true, orgId: true, role: true, revokedAt: true } });
    if (!row || row.revokedAt) throw new AppError('unauthorized', 'the API key is not valid');
    const ctx = { orgId: row.orgId, keyId: row.id, role: row.role };
    if (cache.size > 10_000) cache.clear();
    cache.set(hash, { ...ctx, until: now + cacheMs });
    req.auth = ctx;
  });
}
