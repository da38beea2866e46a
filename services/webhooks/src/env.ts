import { baseEnv, int, parseEnv, port, valueLimitsEnv } from '@weft/config';
import { checkKeyringEnv, keyringEnv } from '@weft/crypto';
import { z } from 'zod';

export const WebhooksEnvSchema = z.object({
  ...baseEnv,
  /** HTTP port of the webhook ingress (POST /hooks/:id). */
  WEFT_WEBHOOKS_PORT: port(8090),
  /** Interface to bind; 0.0.0.0 to receive deliveries from beyond this machine. */
  WEFT_WEBHOOKS_HOST: z.string().default('127.0.0.1'),
  /** The gateway's public base URL: a sync delivery past its deadline answers 202 with the run's status URL there. */
  WEFT_GATEWAY_PUBLIC_URL: z.string().url().default('http://127.0.0.1:8080'),
  /** Largest accepted delivery body (bytes); larger ones answer 413. */
  WEFT_WEBHOOKS_MAX_BODY_BYTES: int(1024 * 1024),
  /** How long a sender's delivery id dedupes (ms; default one day): a redelivery after that starts a new run. */
  WEFT_WEBHOOKS_DEDUPE_WINDOW_MS: int(24 * 3600 * 1000),
  /** Per-hook token bucket: sustained deliveries per second. */
  WEFT_WEBHOOKS_RATE_PER_SEC: z.coerce.number().positive().default(50),
  /** Per-hook token bucket: burst size (deliveries). */
  WEFT_WEBHOOKS_RATE_BURST: z.coerce.number().int().min(1).default(200),
  /** Per-org token bucket (every hook of the org together): sustained deliveries per second. */
  WEFT_WEBHOOKS_ORG_RATE_PER_SEC: z.coerce.number().positive().default(200),
  /** Per-org token bucket: burst size (deliveries). */
  WEFT_WEBHOOKS_ORG_RATE_BURST: z.coerce.number().int().min(1).default(1000),
  /**
   * How long a hook's settings and decrypted secrets are reused between deliveries (ms, at most
   * 1000; 0: read for every delivery). A disable, delete, rotation or new version reaches
   * deliveries within it.
   */
  WEFT_WEBHOOKS_HOOK_CACHE_MS: z.coerce.number().int().min(0).max(1000).default(1000),
  /** Postgres pool size of this process. */
  WEFT_DB_POOL_MAX: int(20),
  /** Size and depth of run inputs (README "Budgets and limits"). */
  ...valueLimitsEnv,
  /** WEFT_KEKS and WEFT_KEK_CURRENT: decrypt the hooks' signing secrets. */
  ...keyringEnv,
}).superRefine(checkKeyringEnv);
export type WebhooksEnv = z.infer<typeof WebhooksEnvSchema>;

export const loadEnv = (env: NodeJS.ProcessEnv = process.env) => parseEnv(WebhooksEnvSchema, env);
