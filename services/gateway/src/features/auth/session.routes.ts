import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ProblemSchema } from '@weft/workflow-schema';
import { z } from 'zod';
import { CSRF_HEADER, clearSessionCookie, csrfMatches, sessionTokenOf } from '../../auth/session-cookie';
import { AppError } from '../../errors';
import type { AuthContext } from './auth-context';

export const sessionRoutes =
  (ctx: AuthContext): FastifyPluginAsyncZod =>
  async (app) => {
    // Public: the sign-in page asks before anyone is signed in.
    app.get('/v1/auth/providers', {
      config: { access: 'public' },
      schema: {
        tags: ['auth'],
        operationId: 'listSignInProviders',
        summary: 'The sign-in methods this installation offers (for the sign-in page)',
        response: { 200: z.object({ email: z.boolean(), github: z.boolean() }) },
      },
    }, async () => ({ email: Boolean(ctx.mailer), github: Boolean(ctx.github) }));

    // Public: signing out must work with an expired or revoked session too (it only clears the cookie then).
    app.post('/v1/auth/sign-out', {
      config: { access: 'public' },
      schema: {
        tags: ['auth'],
        operationId: 'signOut',
        summary: "Ends this browser's session and clears its cookie",
        description: `With a session cookie, needs the ${CSRF_HEADER} header like every signed-in mutation. Without one: nothing to do, 204.`,
        response: { 204: z.null(), 403: ProblemSchema },
      },
    }, async (req, reply) => {
      const token = sessionTokenOf(req);
      if (token) {
        const presented = req.headers[CSRF_HEADER];
        if (!csrfMatches(token, typeof presented === 'string' ? presented : undefined)) throw new AppError('forbidden', `signing out needs the ${CSRF_HEADER} header (the csrfToken of GET /v1/me)`);
        await ctx.sessions.revoke(token);
      }
      clearSessionCookie(reply, { secure: ctx.secureCookies });
      return reply.status(204).send(null);
    });

    app.post('/v1/auth/sign-out-everywhere', {
      config: { access: { permission: 'org:read' } },
      schema: {
        tags: ['auth'],
        operationId: 'signOutEverywhere',
        summary: "Ends every session of the signed-in user (every browser), this one included",
        response: { 200: z.object({ revoked: z.number().int() }), 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema },
      },
    }, async (req, reply) => {
      const p = req.auth;
      if (p.kind !== 'session') throw new AppError('validation_failed', 'this route ends the sessions of a signed-in user: an API key has none (revoke a key with DELETE /v1/api-keys/:id)');
      const revoked = await ctx.sessions.revokeAll(p.userId);
      clearSessionCookie(reply, { secure: ctx.secureCookies });
      return { revoked };
    });
  };
