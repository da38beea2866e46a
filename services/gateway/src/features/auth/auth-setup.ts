import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { SessionAuthOptions } from '../../auth/session-auth';
import { SessionStore } from '../../auth/sessions';
import { TokenBuckets } from '../../rate-limit/token-buckets';
import type { Resources } from '../../resources';
import type { AuthContext, BucketRule, GitHubSettings } from './auth-context';
import { devMailboxRoutes } from './dev-mailbox.routes';
import { githubRoutes } from './github.routes';
import { devMailbox, type Mailer } from './mailer';
import { magicLinkRoutes } from './magic-link.routes';
import { sessionRoutes } from './session.routes';

/** Sign-in settings of the gateway (README "Signing in"); every field has a development default. */
export interface AuthOptions {
  /** Where the browser goes after signing in: the studio (default http://localhost:3000). */
  appUrl?: string;
  /** Where the browser reaches the API, for links and callbacks (default `<appUrl>/api/weft`, the studio's proxy). */
  authBaseUrl?: string;
  /** A session unused this long ends (default 7 days, ms). */
  sessionIdleMs?: number;
  /** A session ends this long after sign-in (default 30 days, ms). */
  sessionAbsoluteMs?: number;
  /** How long a magic link works (default 15 minutes, ms). */
  magicLinkTtlMs?: number;
  /** How sign-in links are sent; undefined: stored in the development mailbox table; null: email sign-in off (503). */
  mailer?: Mailer | null;
  /** Serve GET /dev/mailbox (only in development: it is public). */
  devMailboxPage?: boolean;
  github?: GitHubSettings;
  /** Magic links per client address and per email (default 20 and 5 per hour). */
  limits?: Partial<AuthContext['limits']>;
  /** The clock of sessions and links (tests move it to cross expiries). */
  now?: () => Date;
  /** Emails of the platform admins (WEFT_PLATFORM_ADMINS); undefined: users.platform_admin is left as it is. */
  platformAdmins?: ReadonlySet<string>;
}

const HOUR = 3_600_000;
const perHour = (capacity: number): BucketRule => ({ capacity, windowMs: HOUR });

/** The sign-in context and the session check of the access control, from the options. */
export function setUpAuth(res: Resources, opts: AuthOptions, corsOrigins: readonly string[]): { ctx: AuthContext; sessionAuth: SessionAuthOptions } {
  const now = opts.now ?? (() => new Date());
  const appUrl = (opts.appUrl ?? 'http://localhost:3000').replace(/\/+$/, '');
  const authBaseUrl = (opts.authBaseUrl ?? `${appUrl}/api/weft`).replace(/\/+$/, '');
  const sessionAbsoluteMs = opts.sessionAbsoluteMs ?? 30 * 24 * HOUR;
  const sessions = new SessionStore(res.db.pool, { idleMs: opts.sessionIdleMs ?? 7 * 24 * HOUR, absoluteMs: sessionAbsoluteMs, now }, res.logger);
  const mailer = opts.mailer === null ? undefined : (opts.mailer ?? devMailbox(res.db.pool, res.logger));
  const ctx: AuthContext = {
    sessions,
    appUrl,
    authBaseUrl,
    secureCookies: authBaseUrl.startsWith('https://'),
    sessionAbsoluteMs,
    magicLinkTtlMs: opts.magicLinkTtlMs ?? 15 * 60_000,
    ...(mailer ? { mailer } : {}),
    ...(opts.github ? { github: opts.github } : {}),
    ...(opts.platformAdmins ? { platformAdmins: opts.platformAdmins } : {}),
    buckets: new TokenBuckets(res.redis, res.prefix),
    limits: { magicLinkPerIp: perHour(20), magicLinkPerEmail: perHour(5), ...opts.limits },
    now,
  };
  const allowedOrigins = new Set([...corsOrigins, new URL(appUrl).origin]);
  return { ctx, sessionAuth: { store: sessions, allowedOrigins } };
}

/** Every sign-in route: magic links, GitHub, sign-out, and the development mailbox when asked. */
export const authRoutes =
  (res: Resources, ctx: AuthContext, devMailboxPage: boolean): FastifyPluginAsyncZod =>
  async (app) => {
    await app.register(magicLinkRoutes(res, ctx));
    await app.register(githubRoutes(res, ctx));
    await app.register(sessionRoutes(ctx));
    if (devMailboxPage) await app.register(devMailboxRoutes(res));
  };
