import { baseEnv, bool, evaluationLimitsEnv, transitionEnv, valueLimitsEnv, workerEnv, int, parseEnv } from '@weft/config';
import { checkKeyringEnv, keyringEnv } from '@weft/crypto';
import { oauthEnv } from '@weft/oauth';
import { z } from 'zod';

export const ExecutorEnvSchema = z.object({
  ...baseEnv,
  ...workerEnv,
  /** Steps executed at once by this process. */
  WEFT_EXECUTOR_CONCURRENCY: int(32),
  /** Default step timeout when the node sets none (ms). */
  WEFT_STEP_DEFAULT_TIMEOUT_MS: int(30_000),
  /**
   * On SIGTERM: how long running steps may take to finish before they are released to other
   * executors (ms). Keep it under the orchestrator's kill timeout (Kubernetes: 30 s by default).
   */
  WEFT_SHUTDOWN_GRACE_MS: int(25_000),
  /**
   * How long a running step's lease lasts unless this executor renews it (every third of it, one
   * statement per process for all its long steps). A worker that dies stops renewing, and the
   * orchestrator's sweeper re-queues its steps about this long after (ms). Keep it above the longest
   * event-loop stall you expect: a stalled process cannot renew.
   */
  WEFT_STEP_LEASE_MS: int(10_000),
  /**
   * Comma-separated CIDRs that outgoing HTTP steps may reach although private/loopback
   * (e.g. "10.1.0.0/16,127.0.0.1/32"). Empty: all private, loopback, link-local, CGNAT and
   * metadata addresses are refused.
   */
  WEFT_HTTP_ALLOW_CIDRS: z.string().default(''),
  /** Consecutive failures (network, timeout, 5xx) of one org's calls to one host that open that circuit (circuits are per org and host). */
  WEFT_HTTP_BREAKER_FAILURES: int(5),
  /** How long an open circuit fails fast before one trial request is let through (ms). */
  WEFT_HTTP_BREAKER_COOLDOWN_MS: int(30_000),
  /**
   * When send_email insists on TLS (STARTTLS or smtps://, certificate verified): `public` for
   * every SMTP server but the local hosts WEFT_HTTP_ALLOW_CIDRS opens; `always` for those too.
   */
  WEFT_SMTP_REQUIRE_TLS: z.enum(['public', 'always']).default('public'),
  /** SMTP server of the platform's own mail (alerts; the gateway sends sign-in links with it), e.g. smtp://user:pass@smtp.example.com:587. */
  WEFT_SMTP_URL: z.string().url().optional(),
  /** The From of the platform's messages (alerts, sign-in links). */
  WEFT_MAIL_FROM: z.string().default('Weft <no-reply@localhost>'),
  /** Development: without SMTP, email alerts go to the development mailbox (GET /dev/mailbox on the gateway). */
  WEFT_DEV_MAILBOX: bool(false),
  /** The dashboard's public address (e.g. https://weft.example.com). Dashboard: the gallery's canonical URLs, Open Graph tags and share links (default: the address the request came to). Executor: the approve/reject links of approvals with `notify` point at its /approve page (default http://localhost:3001; docs/approvals.md). */
  WEFT_DASHBOARD_PUBLIC_URL: z.string().url().default('http://localhost:3001'),
  /** Alert evaluations and deliveries this executor runs at once (docs/operating/alerts.md); 0: none here. */
  WEFT_ALERTS_CONCURRENCY: z.coerce.number().int().min(0).default(4),
  /** Largest HTTP response body a step reads (bytes). */
  WEFT_HTTP_MAX_RESPONSE_BYTES: int(10 * 1024 * 1024),
  /** Base URL of the OpenAI-compatible API used when an llm_completion node sets no baseUrl. */
  WEFT_OPENAI_API_URL: z.string().url().default('https://api.openai.com/v1'),
  /** Base URL of Google's Generative Language API (Gemini). */
  WEFT_GEMINI_API_URL: z.string().url().default('https://generativelanguage.googleapis.com'),
  /** Base URL of Slack's Web API (chat.postMessage). */
  WEFT_SLACK_API_URL: z.string().url().default('https://slack.com/api'),
  /** Base URL of the Google Sheets API. */
  WEFT_GOOGLE_SHEETS_API_URL: z.string().url().default('https://sheets.googleapis.com'),
  /** Folder of registered functions (one defineFunction file each), loaded at start. */
  WEFT_FUNCTIONS_DIR: z.string().default(new URL('../../../functions', import.meta.url).pathname),
  /**
   * How long published outbox rows wait to be deleted together (ms): one DELETE per interval
   * instead of one per job. Keep it well under WEFT_OUTBOX_GRACE_MS (the relay re-publishes older rows).
   */
  WEFT_OUTBOX_DELETE_INTERVAL_MS: int(200),
  /** Bench only (`npm run bench -- hops`): folder where this process writes the timestamps of each step's hops at exit. */
  WEFT_TRACE_HOPS_DIR: z.string().optional(),
  /** Postgres pool size of this process. */
  WEFT_DB_POOL_MAX: int(20),
  /**
   * Settle each step where it ran: the run's transition is written with the step's completion
   * (no step-settled job, no orchestrator hop); false hands every step to the orchestrator.
   */
  WEFT_EXECUTOR_SETTLES: bool(true),
  /** With WEFT_EXECUTOR_SETTLES: the next executor step a transition starts is claimed by its write and run here at once (no job, no claim). */
  WEFT_EAGER_DISPATCH: bool(true),
  /**
   * With WEFT_EAGER_DISPATCH: a step claimed by this process's own write is completed with its
   * run's transition in ONE statement, decided from the run as that write left it (guarded; else
   * the two-statement path). False: always the completion with the run read, then the write.
   */
  WEFT_SETTLE_IN_ONE_STATEMENT: bool(true),
  /** With WEFT_EXECUTOR_SETTLES: a for_each iteration that succeeds here starts its loop's next pending item in its own write (no parent transition per item). */
  WEFT_ITERATION_SUCCESSORS: bool(true),
  /** WEFT_INLINE_PURE_STEPS and the run-shape limits: the orchestrator's, for the transitions made here. */
  ...transitionEnv,
  /** Budget of each step's templates, and size of the outputs it stores (README "Budgets and limits"). */
  ...evaluationLimitsEnv,
  ...valueLimitsEnv,
  /** WEFT_KEKS (id:base64key,…) and WEFT_KEK_CURRENT: the keys that decrypt secrets for steps. */
  ...keyringEnv,
  /** Provider endpoints of connections (WEFT_OAUTH_GOOGLE_*, WEFT_OAUTH_SLACK_*, WEFT_OAUTH_GENERIC_*): see docs/connections.md. */
  ...oauthEnv,
  /** A connection's access token is refreshed when it expires within this margin (ms). */
  WEFT_OAUTH_REFRESH_MARGIN_MS: z.coerce.number().int().min(0).max(3_600_000).default(60_000),
}).superRefine(checkKeyringEnv);
export type ExecutorEnv = z.infer<typeof ExecutorEnvSchema>;

export const loadEnv = (env: NodeJS.ProcessEnv = process.env) => parseEnv(ExecutorEnvSchema, env);
