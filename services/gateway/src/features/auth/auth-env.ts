import type { Logger } from '@weft/logger';
import type { Pool } from 'pg';
import type { GatewayEnv } from '../../env';
import type { AuthOptions } from './auth-setup';
import { devMailbox, smtpMailer } from './mailer';
import { parsePlatformAdmins } from './platform-admins';

/** The sign-in options of a running gateway: SMTP when configured, else the development mailbox when allowed, else no email sign-in. */
export function authOptionsFromEnv(env: GatewayEnv, pool: Pool, logger: Logger): AuthOptions {
  const mailer = env.WEFT_SMTP_URL ? smtpMailer(env.WEFT_SMTP_URL, env.WEFT_MAIL_FROM) : env.WEFT_DEV_MAILBOX ? devMailbox(pool, logger) : null;
  if (!mailer) logger.warn('neither WEFT_SMTP_URL nor WEFT_DEV_MAILBOX is set: email sign-in answers 503');
  const hour = 3_600_000;
  const admins = parsePlatformAdmins(env.WEFT_PLATFORM_ADMINS);
  return {
    appUrl: env.WEFT_APP_URL,
    ...(env.WEFT_AUTH_BASE_URL ? { authBaseUrl: env.WEFT_AUTH_BASE_URL } : {}),
    sessionIdleMs: env.WEFT_SESSION_IDLE_MS,
    sessionAbsoluteMs: env.WEFT_SESSION_MAX_AGE_MS,
    magicLinkTtlMs: env.WEFT_MAGIC_LINK_TTL_MS,
    mailer,
    // The page is public: only where no real mail is sent.
    devMailboxPage: env.WEFT_DEV_MAILBOX && !env.WEFT_SMTP_URL,
    ...(admins ? { platformAdmins: admins } : {}),
    ...(env.WEFT_GITHUB_CLIENT_ID && env.WEFT_GITHUB_CLIENT_SECRET
      ? { github: { clientId: env.WEFT_GITHUB_CLIENT_ID, clientSecret: env.WEFT_GITHUB_CLIENT_SECRET, oauthUrl: env.WEFT_GITHUB_OAUTH_URL.replace(/\/+$/, ''), apiUrl: env.WEFT_GITHUB_API_URL.replace(/\/+$/, '') } }
      : {}),
    limits: {
      magicLinkPerIp: { capacity: env.WEFT_MAGIC_LINKS_PER_IP_HOUR, windowMs: hour },
      magicLinkPerEmail: { capacity: env.WEFT_MAGIC_LINKS_PER_EMAIL_HOUR, windowMs: hour },
    },
  };
}
