import type { FastifyRequest } from 'fastify';
import { AppError } from '../errors';
import type { SessionPrincipal } from './principal';
import { CSRF_HEADER, ORG_HEADER, csrfMatches, sessionTokenOf } from './session-cookie';
import type { SessionStore } from './sessions';

export interface SessionAuthOptions {
  store: SessionStore;
  /**
   * Origins a cookie-authenticated request may come from (the studio, the dashboard). A request
   * with an `Origin` header outside this set is refused: with the CSRF token this closes
   * cross-site requests, including WebSocket upgrades (which carry no CSRF header).
   */
  allowedOrigins: ReadonlySet<string>;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The principal of a request authenticated by its session cookie, or undefined without one.
 * CSRF: every unsafe method must carry `X-Weft-CSRF` with the session's synchronizer token
 * (csrfTokenFor); a request whose Origin is not one of ours is refused whatever its method.
 */
export async function authenticateSession(opts: SessionAuthOptions, req: FastifyRequest): Promise<SessionPrincipal | undefined> {
  const token = sessionTokenOf(req);
  if (!token) return undefined;
  const origin = req.headers.origin;
  if (origin && !opts.allowedOrigins.has(origin)) throw new AppError('forbidden', `a signed-in request from origin ${origin.slice(0, 100)} is refused (cross-site)`);
  const org = req.headers[ORG_HEADER];
  const verdict = await opts.store.authenticate(token, typeof org === 'string' && org ? org : undefined);
  if (!verdict.ok) {
    if (verdict.reason === 'not_member') throw new AppError('forbidden', `you are not a member of org "${String(org).slice(0, 100)}" (${ORG_HEADER} header)`);
    if (verdict.reason === 'no_org') throw new AppError('forbidden', 'you are not a member of any org: accept an invitation or create one');
    throw new AppError('unauthorized', verdict.reason === 'expired' ? 'your session has expired: sign in again' : 'your session is not valid: sign in again');
  }
  if (!SAFE_METHODS.has(req.method)) {
    const presented = req.headers[CSRF_HEADER];
    if (!csrfMatches(token, typeof presented === 'string' ? presented : undefined)) {
      throw new AppError('forbidden', `a signed-in request that changes something needs the ${CSRF_HEADER} header (the csrfToken of GET /v1/me)`);
    }
  }
  return verdict.principal;
}
