import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ProblemSchema } from '@weft/workflow-schema';
import { z } from 'zod';
import type { Resources } from '../../resources';
import { signInErrorUrl, type AuthContext } from './auth-context';
import { completeSignIn } from './complete-sign-in';
import { RateLimited, consumeMagicLink, requestMagicLink } from './magic-link.service';
import { signInUser } from './users.service';

// Public routes: they are how a browser without a session gets one (each is rate-limited or single-use).
export const magicLinkRoutes =
  (res: Resources, ctx: AuthContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.post('/v1/auth/magic-link', {
      config: { access: 'public' },
      schema: {
        tags: ['auth'],
        operationId: 'requestMagicLink',
        summary: 'Email a single-use sign-in link',
        description: 'Always 202 for a well-formed email, whether or not an account exists (the link creates it). 429 past the per-address limit.',
        body: z.strictObject({ email: z.string().trim().max(320).email() }),
        response: { 202: z.object({ sent: z.literal(true) }), 400: ProblemSchema, 429: ProblemSchema, 503: ProblemSchema },
      },
    }, async (req, reply) => {
      try {
        await requestMagicLink(res.db.pool, ctx, res.logger, req.body.email, req.ip);
      } catch (err) {
        if (err instanceof RateLimited) reply.header('retry-after', String(Math.max(1, Math.ceil(err.retryAfterMs / 1000))));
        throw err;
      }
      return reply.status(202).send({ sent: true });
    });

    app.get('/v1/auth/magic-link/verify', {
      config: { access: 'public' },
      schema: {
        tags: ['auth'],
        operationId: 'verifyMagicLink',
        summary: 'Sign in with the link of the email: sets the session cookie and redirects to the app',
        description: 'A used, expired or unknown link redirects to the sign-in page with `?error=invalid_link`.',
        querystring: z.object({ token: z.string().min(1).max(200) }),
        response: { 303: z.null(), 400: ProblemSchema },
      },
    }, async (req, reply) => {
      const email = await consumeMagicLink(res.db.pool, ctx, req.query.token);
      if (!email) return reply.header('cache-control', 'no-store').redirect(signInErrorUrl(ctx, 'invalid_link'), 303);
      const user = await signInUser(res.db.pool, { email }, 'magic_link', ctx.platformAdmins);
      return completeSignIn(ctx, req, reply, user.id);
    });
  };
