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
  interface FastifyContextConfig {
    /**
     * Also accept the key as `?access_token=`: only for WebSocket routes, because browsers cannot
     * set headers on a WebSocket. The token is removed from the URL before anything can log it.
     */
    queryToken?: boolean;
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
    const queryKey = takeQueryToken(req);
    const header = req.headers.authorization;
    const allowQuery = req.routeOptions.config.queryToken === true;
    const key = header?.startsWith('Bearer ') ? header.slice(7).trim() : allowQuery ? queryKey : undefined;
    if (!key) throw new AppError('unauthorized', `send an API key as "Authorization: Bearer <key>"${allowQuery ? ' or ?access_token=<key>' : ''}`);
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

/** The `access_token` query parameter, scrubbed from the URL (on every route) so no log line or error carries it. */
function takeQueryToken(req: FastifyRequest): string | undefined {
  const token = (req.query as Record<string, unknown> | undefined)?.access_token;
  if (req.raw.url?.includes('access_token=')) req.raw.url = req.raw.url.replace(/([?&])access_token=[^&]*/g, '$1access_token=redacted');
  return typeof token === 'string' && token ? token : undefined;
}
