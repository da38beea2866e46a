import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import { PERMISSIONS, roleCan, type Permission } from '@weft/workflow-schema';
import { AppError } from '../errors';
import { hashApiKey, type ApiKeyVerifier, type Principal } from './api-keys';
import type { FailedAuthLimit } from './failed-auth-limit';
import { isPlatformAdmin } from './principal';
import { authenticateSession, type SessionAuthOptions } from './session-auth';

/**
 * Who may call a route: anyone, or a principal of an org whose role grants the permission
 * (`orPlatformAdmin`: or a signed-in platform admin, whatever their role in the org).
 */
export type Access = 'public' | { permission: Permission; orPlatformAdmin?: true };

/** One route of the table, as the access check sees it. */
export interface RouteAccess {
  method: string;
  url: string;
  access: Access;
  /** A WebSocket route (GET with an upgrade). */
  websocket: boolean;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call the route. Every route must say (the gateway refuses to start otherwise). */
    access?: Access;
    /**
     * Also accept the key as `?access_token=`: only for WebSocket routes, because browsers cannot
     * set headers on a WebSocket. The token is removed from the URL before anything can log it.
     */
    queryToken?: boolean;
  }
  interface FastifyRequest {
    /** The authenticated caller. Reading it where nobody authenticated answers 401, never a 500. */
    readonly auth: Principal;
  }
  interface FastifyInstance {
    /** Every route with its declared access, in registration order (tests walk it). */
    readonly accessTable: readonly RouteAccess[];
  }
}

export interface AccessControlOptions {
  verifier: ApiKeyVerifier;
  failedAuth: FailedAuthLimit;
  /**
   * URLs of GET routes that plugins add without our route options (the docs UI and its assets):
   * public by this explicit list. Any other route without `config.access` stops the startup.
   */
  pluginPublicUrls: readonly string[];
  /** Cookie sessions (signed-in users); without it only API keys authenticate. */
  sessions?: SessionAuthOptions;
  /** Called with every authenticated caller, before the permission check (records last use). */
  onAuthenticated?: (principal: Principal) => void;
}

const kPrincipal = Symbol('weft.principal');
type WithPrincipal = FastifyRequest & { [kPrincipal]: Principal | null };

/** The request's authenticated caller, or null on a public route (or before the access check). */
export const principalOf = (req: FastifyRequest): Principal | null => (req as WithPrincipal)[kPrincipal] ?? null;

/**
 * Authentication and authorization decided on the MATCHED route, never on the URL's spelling:
 * Fastify routes first, then runs onRequest with the route's options, so `/%761/…` reaches the
 * same declaration as `/v1/…`. Must be registered before any route (onRoute sees only later routes).
 */
export function registerAccessControl(app: FastifyInstance, opts: AccessControlOptions) {
  const table: RouteAccess[] = [];
  const pluginPublic = new Set(opts.pluginPublicUrls);
  app.decorate('accessTable', table);
  app.decorateRequest(kPrincipal, null);
  app.decorateRequest('auth', {
    getter(this: FastifyRequest) {
      const principal = (this as WithPrincipal)[kPrincipal];
      if (!principal) throw new AppError('unauthorized', 'this route needs an authenticated caller');
      return principal;
    },
  });

  app.addHook('onRoute', (route: RouteOptions) => {
    const methods = [route.method].flat();
    if (route.config?.access === undefined && pluginPublic.has(route.url) && methods.every((m) => m === 'GET' || m === 'HEAD')) {
      route.config = { ...route.config, access: 'public' };
    }
    const access = route.config?.access;
    if (!isAccess(access)) {
      throw new Error(`route ${methods.join(',')} ${route.url} does not declare who may call it: add config: { access: 'public' } or { access: { permission: '<one of ${Object.keys(PERMISSIONS).join(', ')}>' } }`);
    }
    const websocket = Boolean((route as { wsHandler?: unknown }).wsHandler ?? (route as { websocket?: unknown }).websocket);
    for (const method of methods) table.push({ method, url: route.url, access, websocket });
  });

  app.addHook('onRequest', async (req, reply) => {
    const queryKey = takeQueryToken(req);
    // No route matched: the not-found handler answers 404, whoever asks.
    if (req.is404) return;
    const access = req.routeOptions.config.access;
    if (access === 'public') return;
    // Unreachable (onRoute refuses such routes); refused rather than trusted if it ever happens.
    if (!isAccess(access)) throw new AppError('forbidden', 'this route declares no access');
    const allowQuery = req.routeOptions.config.queryToken === true;
    const header = req.headers.authorization;
    const key = header?.startsWith('Bearer ') ? header.slice(7).trim() : allowQuery ? queryKey : undefined;
    // An API key wins over a cookie: a script's request is never judged as a browser's.
    const principal = key ? await authenticate(opts, key, req, reply) : opts.sessions ? await authenticateSession(opts.sessions, req) : undefined;
    if (!principal) throw new AppError('unauthorized', `send an API key as "Authorization: Bearer <key>"${allowQuery ? ' or ?access_token=<key>' : ''}${opts.sessions ? ', or sign in' : ''}`);
    opts.onAuthenticated?.(principal);
    if (!roleCan(principal.role, access.permission) && !(access.orPlatformAdmin && isPlatformAdmin(principal))) {
      const whose = principal.kind === 'key' ? 'of this API key' : 'of your membership in this org';
      throw new AppError('forbidden', `the role "${principal.role}" ${whose} does not grant ${access.permission} (${PERMISSIONS[access.permission]})`);
    }
    (req as WithPrincipal)[kPrincipal] = principal;
  });
}

/** A cached valid key costs nothing; a key that needs a database read is first counted by the failed-auth limit. */
async function authenticate(opts: AccessControlOptions, key: string, req: FastifyRequest, reply: FastifyReply): Promise<Principal> {
  const hash = hashApiKey(key);
  const known = opts.verifier.cached(hash);
  if (known) return known;
  // Counted just before the read this request causes; a request that joins a read in flight is not
  // counted again, so a client's burst with one new key costs one count, not one per request.
  let counted = false;
  const count = () => ((counted = true), opts.failedAuth.count(req, reply));
  let principal: Principal | undefined;
  try {
    principal = await opts.verifier.verify(hash, count);
  } catch (err) {
    // The read we joined was refused for ANOTHER request (its address's limit): try on our own count.
    if (counted) throw err;
    principal = await opts.verifier.verify(hash, count);
  }
  if (principal) return principal;
  throw new AppError('unauthorized', 'the API key is not valid');
}

function isAccess(access: unknown): access is Access {
  if (access === 'public') return true;
  const permission = (access as { permission?: unknown } | undefined)?.permission;
  return typeof permission === 'string' && Object.hasOwn(PERMISSIONS, permission);
}

/** The `access_token` query parameter, scrubbed from the URL (on every route) so no log line or error carries it. */
function takeQueryToken(req: FastifyRequest): string | undefined {
  const token = (req.query as Record<string, unknown> | undefined)?.access_token;
  const url = req.raw.url ?? '';
  const at = url.indexOf('?');
  if (token !== undefined && at >= 0) {
    // Rebuilt from the decoded parameters, so that `access%5Ftoken=` is scrubbed as well.
    const params = new URLSearchParams(url.slice(at + 1));
    if (params.has('access_token')) params.set('access_token', 'redacted');
    req.raw.url = `${url.slice(0, at)}?${params.toString()}`;
  }
  return typeof token === 'string' && token ? token : undefined;
}
