import type { SessionStore } from '../../auth/sessions';
import type { BucketPolicy } from '../../rate-limit/policies';
import type { TokenBuckets } from '../../rate-limit/token-buckets';
import type { Mailer } from './mailer';

/** GitHub OAuth settings (an OAuth app's client id and secret); the URLs are GitHub's unless a test points them elsewhere. */
/** A sign-in limit: at most `capacity` in a burst, refilled evenly over `windowMs`. */
export interface BucketRule {
  capacity: number;
  windowMs: number;
}

/** The token-bucket policy of a rule (the general limiter's units: tokens per second, burst). */
export const policyOf = (rule: BucketRule): BucketPolicy => ({ rate: (rule.capacity * 1000) / rule.windowMs, burst: rule.capacity });

export interface GitHubSettings {
  clientId: string;
  clientSecret: string;
  /** Where the authorize and token endpoints live (https://github.com). */
  oauthUrl: string;
  /** GitHub's REST API (https://api.github.com): /user and /user/emails. */
  apiUrl: string;
}

/** Everything the sign-in routes share. */
export interface AuthContext {
  sessions: SessionStore;
  /** Where the browser reaches the API (`<studio>/api/weft` through the studio's proxy): links and callbacks point there. */
  authBaseUrl: string;
  /** Where the browser goes after signing in (the studio). */
  appUrl: string;
  /** The cookie's Secure flag: the browser reaches the API over https. */
  secureCookies: boolean;
  sessionAbsoluteMs: number;
  magicLinkTtlMs: number;
  /** Without one, email sign-in answers 503. */
  mailer?: Mailer;
  github?: GitHubSettings;
  buckets: TokenBuckets;
  limits: { magicLinkPerIp: BucketRule; magicLinkPerEmail: BucketRule };
  /** WEFT_PLATFORM_ADMINS (normalized emails): applied to users.platform_admin at each sign-in; undefined: left alone. */
  platformAdmins?: ReadonlySet<string>;
  now: () => Date;
}

/** The studio's sign-in page with an error code, where a failed browser sign-in lands. */
export const signInErrorUrl = (ctx: AuthContext, error: string) => `${ctx.appUrl}/sign-in?error=${encodeURIComponent(error)}`;
