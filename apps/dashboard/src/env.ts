import { z } from 'zod';

/**
 * The dashboard server's settings, parsed once when the server starts (instrumentation.ts calls
 * `env()`, so a bad variable stops it at boot; `next build` never needs them). They stay on the
 * server: the browser talks to `/api/weft/*` and `/api/live/*`, which forward the user's session (no API key).
 */
export const DashboardEnvSchema = z.object({
  /** Base URL of the Weft gateway, e.g. http://127.0.0.1:8080. */
  WEFT_API_URL: z.string().url().default('http://127.0.0.1:8080'),
  /**
   * Host names the proxy answers (comma-separated, `*` for any). The proxy forwards the user's
   * session cookie, so requests for other hosts (DNS rebinding) and from other sites (CSRF) are refused.
   */
  WEFT_DASHBOARD_ALLOWED_HOSTS: z.string().default('localhost,127.0.0.1,[::1]'),
  /** The development mailbox page of the gateway (npm start sets it), linked from the sign-in page. */
  WEFT_DEV_MAILBOX_URL: z.string().url().optional(),
  /**
   * The dashboard's public address (e.g. https://weft.example.com), for the gallery's canonical URLs,
   * Open Graph tags and share links; default: the address the request came to.
   */
  WEFT_DASHBOARD_PUBLIC_URL: z.string().url().optional(),
  /**
   * Link from a run's page to its trace in a trace viewer: a URL with `{traceId}` where the run's
   * trace id goes, e.g. http://localhost:16686/trace/{traceId} (Jaeger) or a Grafana Explore URL
   * (Tempo). Without it the run page shows the trace id only (docs/operating/traces.md).
   */
  WEFT_TRACE_URL_TEMPLATE: z.string().url().refine((s) => s.includes('{traceId}'), 'must contain {traceId}').optional(),
  /** How long a proxied request may take, in milliseconds. */
  WEFT_PROXY_TIMEOUT_MS: z.coerce.number().int().positive().default(30_000),
});

export type Env = z.infer<typeof DashboardEnvSchema>;

let parsed: Env | undefined;

/** The parsed settings; throws with every bad variable named. */
export function env(): Env {
  if (parsed) return parsed;
  const r = DashboardEnvSchema.safeParse(process.env);
  if (r.success) return (parsed = r.data);
  throw new Error(`The dashboard's environment is not valid:\n${r.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')}`);
}
