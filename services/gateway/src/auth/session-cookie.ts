import { createHmac, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** The session cookie's name: the browser sends it to the studio, whose server forwards it to the API. */
export const SESSION_COOKIE = 'weft_session';
/** The header a cookie-authenticated mutation must carry (the synchronizer token of the session). */
export const CSRF_HEADER = 'x-weft-csrf';
/** The header that picks the org of a session request (org id or slug). */
export const ORG_HEADER = 'weft-org';

export interface CookieSettings {
  /** Secure flag: on when the browser reaches the API over https (the auth base URL's scheme). */
  secure: boolean;
  /** Cookie lifetime (ms): the session's absolute expiry. */
  maxAgeMs: number;
}

/** Sets the session cookie: httpOnly (no script reads it), SameSite=Lax (not sent on cross-site POSTs), Secure over https. */
export function setSessionCookie(reply: FastifyReply, token: string, s: CookieSettings): void {
  reply.setCookie(SESSION_COOKIE, token, { path: '/', httpOnly: true, sameSite: 'lax', secure: s.secure, maxAge: Math.floor(s.maxAgeMs / 1000) });
}

export function clearSessionCookie(reply: FastifyReply, s: Pick<CookieSettings, 'secure'>): void {
  reply.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure: s.secure });
}

/** The session token the request carries in its cookie, if any. */
export function sessionTokenOf(req: FastifyRequest): string | undefined {
  const token = req.cookies?.[SESSION_COOKIE];
  return token ? token : undefined;
}

/**
 * The session's CSRF token (OWASP's HMAC-based synchronizer token): an HMAC of the session token,
 * so it needs no storage, changes with every new session, and only a page that can read the
 * session's own API answers (GET /v1/me) learns it; another site can neither read it nor the cookie.
 */
export const csrfTokenFor = (sessionToken: string) => createHmac('sha256', sessionToken).update('weft-csrf-v1').digest('base64url');

/** Whether `presented` is the CSRF token of this session (constant-time). */
export function csrfMatches(sessionToken: string, presented: string | undefined): boolean {
  if (!presented) return false;
  const want = Buffer.from(csrfTokenFor(sessionToken));
  const got = Buffer.from(presented);
  return want.length === got.length && timingSafeEqual(want, got);
}
