import { baseEnv, int, parseEnv, port, valueLimitsEnv } from '@weft/config';
import { checkKeyringEnv, keyringEnv } from '@weft/crypto';
import { z } from 'zod';

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
  /** The gateway's public base URL (e.g. https://api.example.com), named as the server in /openapi.json; unset: `/`, the host the document came from. */
  WEFT_GATEWAY_PUBLIC_URL: z.string().url().optional(),
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
  /** Folder of registered functions (listed by GET /v1/catalog/functions). */
  WEFT_FUNCTIONS_DIR: z.string().default(new URL('../../../functions', import.meta.url).pathname),
  /** Postgres pool size of this process. */
  WEFT_DB_POOL_MAX: int(20),
  /** Size of run inputs and approval payloads it accepts (README "Budgets and limits"). */
  ...valueLimitsEnv,
  /** Comma-separated origins allowed by CORS (the studio and dashboard). */
  WEFT_CORS_ORIGINS: z.string().default('http://localhost:3000,http://localhost:3001,http://127.0.0.1:3000,http://127.0.0.1:3001'),
  /** WEFT_KEKS (id:base64key,…) and WEFT_KEK_CURRENT: the keys that encrypt secrets at rest. */
  ...keyringEnv,
}).superRefine(checkKeyringEnv);
export type GatewayEnv = z.infer<typeof GatewayEnvSchema>;

export const loadEnv = (env: NodeJS.ProcessEnv = process.env) => parseEnv(GatewayEnvSchema, env);
