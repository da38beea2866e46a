import { randomBytes, timingSafeEqual } from 'node:crypto';
import { OAuth2Client } from 'arctic';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ProblemSchema } from '@weft/workflow-schema';
import { z } from 'zod';
import { AppError } from '../../errors';
import type { Resources } from '../../resources';
import { signInErrorUrl, type AuthContext, type GitHubSettings } from './auth-context';
import { completeSignIn } from './complete-sign-in';
import { signInUser } from './users.service';

const STATE_COOKIE = 'weft_oauth_state';
const STATE_MAX_AGE_S = 600;

const GitHubUserSchema = z.object({ id: z.number(), login: z.string(), name: z.string().nullable().optional() });
const GitHubEmailsSchema = z.array(z.object({ email: z.string(), primary: z.boolean(), verified: z.boolean() }));

// Public routes: the OAuth authorization-code flow of a browser without a session (the state cookie binds its two halves).
export const githubRoutes =
  (res: Resources, ctx: AuthContext): FastifyPluginAsyncZod =>
  async (app) => {
    const gh = ctx.github;
    const redirectUri = `${ctx.authBaseUrl}/v1/auth/github/callback`;
    const client = gh ? new OAuth2Client(gh.clientId, gh.clientSecret, redirectUri) : undefined;
    const notConfigured = () => new AppError('not_found', 'GitHub sign-in is not configured (WEFT_GITHUB_CLIENT_ID, WEFT_GITHUB_CLIENT_SECRET)');

    app.get('/v1/auth/github', {
      config: { access: 'public' },
      schema: { tags: ['auth'], operationId: 'startGitHubSignIn', summary: "Redirects to GitHub's consent page", response: { 302: z.null(), 404: ProblemSchema } },
    }, async (_req, reply) => {
      if (!gh || !client) throw notConfigured();
      const state = randomBytes(24).toString('base64url');
      const url = client.createAuthorizationURL(`${gh.oauthUrl}/login/oauth/authorize`, state, ['read:user', 'user:email']);
      reply.setCookie(STATE_COOKIE, state, { path: '/', httpOnly: true, sameSite: 'lax', secure: ctx.secureCookies, maxAge: STATE_MAX_AGE_S });
      return reply.header('cache-control', 'no-store').redirect(url.toString(), 302);
    });

    app.get('/v1/auth/github/callback', {
      config: { access: 'public' },
      schema: {
        tags: ['auth'],
        operationId: 'finishGitHubSignIn',
        summary: 'GitHub redirects here: signs in by the verified primary email, sets the session cookie, redirects to the app',
        querystring: z.object({ code: z.string().max(500).optional(), state: z.string().max(200).optional(), error: z.string().max(200).optional() }),
        response: { 303: z.null(), 400: ProblemSchema, 404: ProblemSchema },
      },
    }, async (req, reply) => {
      if (!gh || !client) throw notConfigured();
      const expected = req.cookies[STATE_COOKIE];
      reply.clearCookie(STATE_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure: ctx.secureCookies });
      const { code, state } = req.query;
      if (!code || !state || !expected || !sameText(state, expected)) return reply.redirect(signInErrorUrl(ctx, req.query.error ? 'github_denied' : 'github_state'), 303);
      const identity = await githubIdentity(gh, client, code).catch((err: unknown) => {
        res.logger.warn({ err }, 'GitHub sign-in failed');
        return undefined;
      });
      if (!identity) return reply.redirect(signInErrorUrl(ctx, 'github_failed'), 303);
      if (!identity.email) return reply.redirect(signInErrorUrl(ctx, 'github_no_verified_email'), 303);
      const user = await signInUser(res.db.pool, { email: identity.email, name: identity.name, githubId: identity.githubId }, 'github', ctx.platformAdmins);
      return completeSignIn(ctx, req, reply, user.id);
    });
  };

/** Trades the code for a token, then reads the user and their verified primary email. */
async function githubIdentity(gh: GitHubSettings, client: OAuth2Client, code: string) {
  const tokens = await client.validateAuthorizationCode(`${gh.oauthUrl}/login/oauth/access_token`, code, null);
  const headers = { authorization: `Bearer ${tokens.accessToken()}`, accept: 'application/vnd.github+json', 'user-agent': 'weft' };
  const get = async (path: string) => {
    const r = await fetch(`${gh.apiUrl}${path}`, { headers, signal: AbortSignal.timeout(10_000) });
    if (!r.ok) throw new Error(`GitHub ${path} answered ${r.status}`);
    return r.json();
  };
  const user = GitHubUserSchema.parse(await get('/user'));
  const emails = GitHubEmailsSchema.parse(await get('/user/emails'));
  const primary = emails.find((e) => e.primary && e.verified);
  return { githubId: String(user.id), name: user.name ?? user.login, email: primary?.email };
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
