import { baseEnv, bool, int, parseEnv, port, valueLimitsEnv } from '@weft/config';
import { checkKeyringEnv, keyringEnv } from '@weft/crypto';
import { oauthEnv } from '@weft/oauth';
import { z } from 'zod';
import { DEFAULT_POLICIES, type RateLimitPolicies } from './rate-limit/policies';

/** A non-negative number of requests (per second, or in a burst); fractions allowed (0.2/s: 12 a minute). */
const rate = (fallback: number) => z.coerce.number().min(0).default(fallback);

export const GatewayEnvSchema = z.object({
  ...baseEnv,
  /** HTTP port of the public API. */
  WEFT_GATEWAY_PORT: port(8080),
  /** Interface to bind; 0.0.0.0 to expose beyond this machine. */
  WEFT_GATEWAY_HOST: z.string().default('127.0.0.1'),
  /** When set, org "default" exists and this key is its owner key (every admin permission; idempotent). */
  WEFT_BOOTSTRAP_API_KEY: z.string().min(16, 'must be at least 16 characters').optional(),
  /** Slug of the platform org: its owner keys moderate the public template gallery (the bootstrap org by default). */
  WEFT_PLATFORM_ORG: z.string().min(1).default('default'),
  /**
   * Emails of the platform admins (comma-separated), the people who run this installation: they
   * moderate templates from any org they sign in to. Separate from org roles. When set, it is the
   * whole list: at startup listed users become admins and the others stop being; a listed email
   * becomes admin at its first sign-in. Unset: users.platform_admin is left as it is.
   */
  WEFT_PLATFORM_ADMINS: z.string().optional(),
  /** The gateway's public base URL (e.g. https://api.example.com), named as the server in /openapi.json; unset: `/`, the host the document came from. */
  WEFT_GATEWAY_PUBLIC_URL: z.string().url().optional(),
  /** The webhooks service's public base URL: a webhook's `url` is `<it>/hooks/<id>`. */
  WEFT_WEBHOOKS_PUBLIC_URL: z.string().url().default('http://127.0.0.1:8090'),
  /** Where the gateway reaches the webhooks service to send test events (`POST /v1/webhooks/:id/test`); default: WEFT_WEBHOOKS_PUBLIC_URL. */
  WEFT_WEBHOOKS_INTERNAL_URL: z.string().url().optional(),
  /** Largest accepted request body (bytes). */
  WEFT_MAX_BODY_BYTES: int(5 * 1024 * 1024),
  /** Deepest nesting accepted in a JSON request body (levels: `{}` is 1, `{"a":[]}` is 2). */
  WEFT_MAX_BODY_DEPTH: z.coerce.number().int().min(2).default(128),
  /** How long an API key's verdict (valid, or unknown/revoked) is trusted before it is looked up again (ms). */
  WEFT_API_KEY_CACHE_MS: int(30_000),
  /** Failed authentications one client address may make per window before it gets 429 (count). */
  WEFT_AUTH_FAILURE_LIMIT: z.coerce.number().int().min(1).default(20),
  /** The window of WEFT_AUTH_FAILURE_LIMIT (ms). */
  WEFT_AUTH_FAILURE_WINDOW_MS: int(60_000),
  /** Rate limits (README "Rate limits"): token buckets in Redis, RATE in requests per second (0: no limit), BURST in requests. */
  /** Per client address (IPv6: per /64), on public routes. */
  WEFT_RATE_LIMIT_IP_RATE: rate(DEFAULT_POLICIES.ip.rate),
  WEFT_RATE_LIMIT_IP_BURST: rate(DEFAULT_POLICIES.ip.burst),
  /** Per client address, on sign-in routes (they declare `rateLimitClass: 'sign-in'`). */
  WEFT_RATE_LIMIT_SIGN_IN_RATE: rate(DEFAULT_POLICIES['sign-in'].rate),
  WEFT_RATE_LIMIT_SIGN_IN_BURST: rate(DEFAULT_POLICIES['sign-in'].burst),
  /** Per principal (API key), on every authenticated route. */
  WEFT_RATE_LIMIT_KEY_RATE: rate(DEFAULT_POLICIES.key.rate),
  WEFT_RATE_LIMIT_KEY_BURST: rate(DEFAULT_POLICIES.key.burst),
  /** Per org, on routes needing runs:write (create, cancel, approve, retry runs). */
  WEFT_RATE_LIMIT_ORG_RUNS_RATE: rate(DEFAULT_POLICIES['org-runs'].rate),
  WEFT_RATE_LIMIT_ORG_RUNS_BURST: rate(DEFAULT_POLICIES['org-runs'].burst),
  /** Per org, on routes needing a *:read permission. */
  WEFT_RATE_LIMIT_ORG_READS_RATE: rate(DEFAULT_POLICIES['org-reads'].rate),
  WEFT_RATE_LIMIT_ORG_READS_BURST: rate(DEFAULT_POLICIES['org-reads'].burst),
  /** true: the bootstrap org (org "default" of WEFT_BOOTSTRAP_API_KEY) is limited like any other; by default it is not limited. */
  WEFT_RATE_LIMIT_BOOTSTRAP_ORG: bool(false),
  /** Folder of registered functions (listed by GET /v1/catalog/functions). */
  WEFT_FUNCTIONS_DIR: z.string().default(new URL('../../../functions', import.meta.url).pathname),
  /** Postgres pool size of this process. */
  WEFT_DB_POOL_MAX: int(20),
  /** Bench only (`npm run bench -- hops`): folder where this process writes the timestamps of each run start's hops at exit. */
  WEFT_TRACE_HOPS_DIR: z.string().optional(),
  /** Size of run inputs and approval payloads it accepts (README "Budgets and limits"). */
  ...valueLimitsEnv,
  /** Comma-separated origins allowed by CORS (the studio and dashboard). */
  WEFT_CORS_ORIGINS: z.string().default('http://localhost:3000,http://localhost:3001,http://127.0.0.1:3000,http://127.0.0.1:3001'),
  /** Where browsers go after signing in: the studio's URL. Its origin may send signed-in requests. */
  WEFT_APP_URL: z.string().url().default('http://localhost:3000'),
  /** Where browsers reach the API, for sign-in links and the GitHub callback (default <WEFT_APP_URL>/api/weft, the studio's proxy); https → Secure cookies. */
  WEFT_AUTH_BASE_URL: z.string().url().optional(),
  /** A session unused this long ends (ms; default 7 days). */
  WEFT_SESSION_IDLE_MS: z.coerce.number().int().min(1000).default(7 * 24 * 3_600_000),
  /** A session ends this long after sign-in, however active (ms; default 30 days). */
  WEFT_SESSION_MAX_AGE_MS: z.coerce.number().int().min(1000).default(30 * 24 * 3_600_000),
  /** How long a magic sign-in link works (ms; default 15 minutes). */
  WEFT_MAGIC_LINK_TTL_MS: z.coerce.number().int().min(1000).default(15 * 60_000),
  /** Magic links one client address may request per hour (count, a token bucket). */
  WEFT_MAGIC_LINKS_PER_IP_HOUR: z.coerce.number().int().min(1).default(20),
  /** Magic links sent to one email per hour (count); more requests still answer 202 but send nothing. */
  WEFT_MAGIC_LINKS_PER_EMAIL_HOUR: z.coerce.number().int().min(1).default(5),
  /** SMTP server for sign-in links, e.g. smtp://user:pass@smtp.example.com:587 (smtps:// for TLS on connect). */
  WEFT_SMTP_URL: z.string().url().optional(),
  /** The From of sign-in messages. */
  WEFT_MAIL_FROM: z.string().default('Weft <no-reply@localhost>'),
  /** Development: without SMTP, store messages in Postgres and list them at GET /dev/mailbox (public: never in production). */
  WEFT_DEV_MAILBOX: bool(false),
  /** GitHub OAuth app (callback: <WEFT_AUTH_BASE_URL>/v1/auth/github/callback); both set: "Sign in with GitHub". */
  WEFT_GITHUB_CLIENT_ID: z.string().min(1).optional(),
  WEFT_GITHUB_CLIENT_SECRET: z.string().min(1).optional(),
  /** GitHub's web and API hosts (GitHub Enterprise, or a local stand-in in tests). */
  WEFT_GITHUB_OAUTH_URL: z.string().url().default('https://github.com'),
  WEFT_GITHUB_API_URL: z.string().url().default('https://api.github.com'),
  /** WEFT_KEKS (id:base64key,…) and WEFT_KEK_CURRENT: the keys that encrypt secrets at rest. */
  ...keyringEnv,
  /** The OAuth redirect URI registered with each connection's app (default <WEFT_AUTH_BASE_URL>/v1/oauth/callback). */
  WEFT_OAUTH_REDIRECT_URL: z.string().url().optional(),
  /** Provider endpoints of connections (WEFT_OAUTH_GOOGLE_*, WEFT_OAUTH_SLACK_*, WEFT_OAUTH_GENERIC_*): see docs/connections.md. */
  ...oauthEnv,
}).superRefine(checkKeyringEnv);
export type GatewayEnv = z.infer<typeof GatewayEnvSchema>;

export const loadEnv = (env: NodeJS.ProcessEnv = process.env) => parseEnv(GatewayEnvSchema, env);

/** The rate-limit policies of an environment. */
export const rateLimitPolicies = (env: GatewayEnv): RateLimitPolicies => ({
  ip: { rate: env.WEFT_RATE_LIMIT_IP_RATE, burst: env.WEFT_RATE_LIMIT_IP_BURST },
  'sign-in': { rate: env.WEFT_RATE_LIMIT_SIGN_IN_RATE, burst: env.WEFT_RATE_LIMIT_SIGN_IN_BURST },
  key: { rate: env.WEFT_RATE_LIMIT_KEY_RATE, burst: env.WEFT_RATE_LIMIT_KEY_BURST },
  'org-runs': { rate: env.WEFT_RATE_LIMIT_ORG_RUNS_RATE, burst: env.WEFT_RATE_LIMIT_ORG_RUNS_BURST },
  'org-reads': { rate: env.WEFT_RATE_LIMIT_ORG_READS_RATE, burst: env.WEFT_RATE_LIMIT_ORG_READS_BURST },
});
