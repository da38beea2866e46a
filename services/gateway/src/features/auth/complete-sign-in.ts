import type { FastifyReply, FastifyRequest } from 'fastify';
import { sessionTokenOf, setSessionCookie } from '../../auth/session-cookie';
import type { AuthContext } from './auth-context';

/**
 * Ends a browser sign-in: a new session (the token this browser held before is revoked: the
 * session id rotates at every sign-in, so a token planted before sign-in is worth nothing), its
 * cookie, and a redirect to the app.
 */
export async function completeSignIn(ctx: AuthContext, req: FastifyRequest, reply: FastifyReply, userId: string) {
  const session = await ctx.sessions.create(userId, sessionTokenOf(req));
  setSessionCookie(reply, session.token, { secure: ctx.secureCookies, maxAgeMs: ctx.sessionAbsoluteMs });
  return reply.header('cache-control', 'no-store').redirect(`${ctx.appUrl}/`, 303);
}
