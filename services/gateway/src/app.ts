import cookie from '@fastify/cookie';
import websocket from '@fastify/websocket';
import Fastify, { LogController, type FastifyBaseLogger } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { RegisteredFunction } from '@weft/functions';
import type { Registry } from 'prom-client';
import { apiKeyRoutes } from './features/api-keys/api-keys.routes';
import { auditLogRoutes } from './features/audit/audit-logs.routes';
import { authRoutes, setUpAuth, type AuthOptions } from './features/auth/auth-setup';
import { catalogRoutes } from './features/catalog/catalog.routes';
import { connectionRoutes } from './features/connections/connections.routes';
import { oauthSettings, type OAuthOptions } from './features/connections/oauth-settings';
import { healthRoutes } from './features/health/health.routes';
import { liveRoutes, type LiveOptions } from './features/live/live.routes';
import { LiveRunHub } from './features/live/run-hub';
import { meRoutes } from './features/me/me.routes';
import { gatewayRegistry, metricsRoutes } from './features/metrics/metrics.routes';
import { memberRoutes } from './features/members/members.routes';
import { runRoutes } from './features/runs/runs.routes';
import { approvalLinkRoutes } from './features/approval-links/approval-links.routes';
import { iterationRoutes } from './features/runs/iterations.routes';
import { runUsageRoutes } from './features/runs/usage-summary.routes';
import { runExportRoutes } from './features/runs/export.routes';
import { orgSettingsRoutes } from './features/org-settings/org-settings.routes';
import { scheduleRoutes } from './features/schedules/schedules.routes';
import { alertRoutes } from './features/alerts/alerts.routes';
import { webhookRoutes } from './features/webhooks/webhooks.routes';
import { secretRoutes } from './features/secrets/secrets.routes';
import { installationRoutes } from './features/templates/installations.routes';
import { templateRoutes } from './features/templates/templates.routes';
import { flagRoutes } from './features/flags/flags.routes';
import { usageRoutes } from './features/usage/usage.routes';
import { planRoutes } from './features/plans/plans.routes';
import { workflowAdminRoutes } from './features/workflows/workflow-admin.routes';
import { workflowRoutes } from './features/workflows/workflows.routes';
import { FeatureFlags } from '@weft/flags';
import { registerAccessControl } from './auth/access-control';
import { registerOrgScope } from './auth/org-scope';
import { ApiKeyVerifier } from './auth/api-keys';
import { registerFailedAuthLimit, type FailedAuthLimitOptions } from './auth/failed-auth-limit';
import { KeyRevocations } from './auth/key-revocations';
import { LastUsedRecorder } from './auth/last-used';
import { clientErrorHandler, frameworkErrors, registerErrorHandler } from './plugins/error-handler';
import { registerJsonBody } from './plugins/json-body';
import { registerRequestTrace } from './plugins/request-trace';
import { registerOpenApi } from './plugins/openapi';
import { earlyRefusals, rateLimiter, registerRateLimits, type RateLimitOptions } from './rate-limit/rate-limits';
import { TokenBuckets } from './rate-limit/token-buckets';
import { registerSecurityHeaders } from './plugins/security-headers';
import type { Resources } from './resources';

export interface AppOptions {
  maxBodyBytes?: number;
  /** Deepest nesting a JSON request body may have (levels); deeper is a 400 (see plugins/json-body.ts). */
  maxBodyDepth?: number;
  /** How long a key's verdict (valid or not) is trusted before it is looked up again (ms). */
  apiKeyCacheMs?: number;
  /** Failed authentications per client address and window before 429 (default 20 per minute). */
  failedAuth?: FailedAuthLimitOptions;
  corsOrigins?: string[];
  /** Live-run WebSocket tuning (heartbeat every 25 s by default). */
  live?: Partial<LiveOptions>;
  /** Registered functions, for GET /v1/catalog/functions. */
  functions?: ReadonlyMap<string, RegisteredFunction>;
  /** The gateway's public base URL, named as the server in /openapi.json (default: `/`, relative to the document). */
  publicUrl?: string;
  /** Sign-in: sessions, magic links, GitHub (development defaults). */
  auth?: AuthOptions;
  /** The webhooks service's public base URL: webhooks answer `<it>/hooks/:id` as their `url`. */
  webhooksPublicUrl?: string;
  /** Where this process reaches the webhooks service to send test events (default: webhooksPublicUrl). */
  webhooksInternalUrl?: string;
  /** Org "default" of the bootstrap key: unlimited unless `rateLimits.limitBootstrapOrg`. */
  bootstrapOrgId?: string;
  /** Token buckets per address, principal and org (README "Rate limits"); `now` (ms) is a test clock. */
  rateLimits?: Omit<RateLimitOptions, 'unlimitedOrgIds'> & { limitBootstrapOrg?: boolean; now?: () => number };
  /** Slug of the platform org whose owner keys moderate templates (default `default`, the bootstrap org). */
  platformOrg?: string;
  /** OAuth connections: provider endpoints and the redirect URI (default: production endpoints, `<auth base URL>/v1/oauth/callback`). */
  oauth?: OAuthOptions;
  /** The Prometheus registry `GET /metrics` serves (default: a new one with the gateway's metrics). */
  metrics?: Registry;
}

const DOCS_PREFIX = '/docs';
/** The routes @fastify/swagger-ui adds for the docs page and its assets (all GET): public. */
const SWAGGER_UI_URLS = ['', '/', '/static/index.html', '/static/swagger-initializer.js', '/json', '/yaml', '/static/*'].map((u) => DOCS_PREFIX + u);

/** Builds the gateway without listening (tests use app.inject or listen on port 0). */
export async function buildApp(res: Resources, opts: AppOptions = {}) {
  const app = Fastify({
    loggerInstance: res.logger as unknown as FastifyBaseLogger,
    bodyLimit: opts.maxBodyBytes ?? 5 * 1024 * 1024,
    genReqId: (req) => (typeof req.headers['x-request-id'] === 'string' ? req.headers['x-request-id'].slice(0, 128) : crypto.randomUUID()),
    // Fastify's own per-request lines are off: plugins/request-trace.ts writes one line per request.
    logController: new LogController({ requestIdLogLabel: 'request_id', disableRequestLogging: true }),
    // What the router and the HTTP parser refuse is answered as problem+json too.
    frameworkErrors,
    clientErrorHandler,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandler(app);
  registerJsonBody(app, opts.maxBodyDepth ?? 128);
  // First onRequest hook: every request (refused early or not) has its span and its log line.
  registerRequestTrace(app);
  const origins = new Set(opts.corsOrigins ?? []);
  app.addHook('onRequest', async (req, reply) => {
    reply.header('x-request-id', req.id);
    const origin = req.headers.origin;
    if (origin && origins.has(origin)) {
      reply.header('access-control-allow-origin', origin).header('vary', 'origin');
      reply.header('access-control-allow-headers', 'authorization, content-type, idempotency-key');
      reply.header('access-control-allow-methods', 'GET, POST, PUT, PATCH, DELETE, OPTIONS');
      if (req.method === 'OPTIONS') return reply.status(204).send();
    }
  });
  // Clients only listen on live sockets: a small frame cap is enough. Registered before the access
  // check, so that its onRequest hook marks upgrade requests first and a refused one's socket is closed.
  await app.register(websocket, { options: { maxPayload: 4096 } });
  // Before any route: both act on every route as it is added.
  await registerSecurityHeaders(app, { docsPrefix: DOCS_PREFIX });
  const verifier = new ApiKeyVerifier(
    (hash) => res.db.prisma.apiKey.findUnique({ where: { hash }, select: { id: true, orgId: true, role: true, revokedAt: true, expiresAt: true } }),
    { ttlMs: opts.apiKeyCacheMs ?? 30_000 },
  );
  // Subscribed before the first request: a revocation by another gateway reaches this one's cache.
  const revocations = await KeyRevocations.start({ publisher: res.redis, connect: res.createSubscriber, prefix: res.prefix, verifier, logger: res.logger });
  app.addHook('onClose', async () => revocations.close());
  const lastUsed = new LastUsedRecorder(res.db.pool, res.logger);
  const limits = opts.rateLimits ?? {};
  const tokenBuckets = new TokenBuckets(res.redis, res.prefix, limits.now);
  const limiter = rateLimiter(tokenBuckets, {
    ...(limits.policies ? { policies: limits.policies } : {}),
    unlimitedOrgIds: opts.bootstrapOrgId && !limits.limitBootstrapOrg ? [opts.bootstrapOrgId] : [],
  });
  // Before the cookie parser and the access check: a key that ignores 429 is refused for little (rate-limit/rate-limits.ts).
  app.addHook('onRequest', earlyRefusals(limiter, verifier));
  await app.register(cookie);
  const auth = setUpAuth(res, opts.auth ?? {}, opts.corsOrigins ?? []);
  registerAccessControl(app, {
    sessions: auth.sessionAuth,
    verifier,
    failedAuth: await registerFailedAuthLimit(app, res.redis, res.prefix, opts.failedAuth ?? { max: 20, windowMs: 60_000 }),
    pluginPublicUrls: SWAGGER_UI_URLS,
    onAuthenticated: (principal) => principal.kind === 'key' && lastUsed.touch(principal.keyId),
  });
  // After the access check (hooks run in order): the buckets of a route need its principal.
  registerRateLimits(app, limiter, tokenBuckets, res.logger);
  registerOrgScope(app);
  await registerOpenApi(app, { docsPrefix: DOCS_PREFIX, ...(opts.publicUrl ? { publicUrl: opts.publicUrl } : {}) });
  await app.register(healthRoutes(res));
  // Registered at the root: its onResponse hook times every route.
  await metricsRoutes(opts.metrics ?? gatewayRegistry(res))(app, {});
  await app.register(catalogRoutes(opts.functions ?? new Map()));
  await app.register(workflowRoutes(res));
  await app.register(workflowAdminRoutes(res));
  await app.register(runRoutes(res));
  await app.register(approvalLinkRoutes(res));
  await app.register(iterationRoutes(res));
  await app.register(runUsageRoutes(res));
  await app.register(runExportRoutes(res));
  await app.register(orgSettingsRoutes(res));
  await app.register(secretRoutes(res));
  await app.register(connectionRoutes(res, oauthSettings(opts.oauth ?? {}, auth.ctx, opts.corsOrigins ?? [])));
  await app.register(meRoutes(res));
  await app.register(authRoutes(res, auth.ctx, opts.auth?.devMailboxPage ?? false));
  await app.register(memberRoutes(res, auth.ctx, { revokeKeys: (hashes) => revocations.revoked(hashes), ...(opts.bootstrapOrgId ? { bootstrapOrgId: opts.bootstrapOrgId } : {}) }));
  await app.register(apiKeyRoutes(res, revocations));
  await app.register(auditLogRoutes(res));
  await app.register(usageRoutes(res));
  await app.register(planRoutes(res));
  await app.register(scheduleRoutes(res));
  await app.register(alertRoutes(res));
  const webhooksUrl = (opts.webhooksPublicUrl ?? 'http://127.0.0.1:8090').replace(/\/$/, '');
  await app.register(webhookRoutes(res, webhooksUrl, (opts.webhooksInternalUrl ?? webhooksUrl).replace(/\/$/, '')));
  await app.register(templateRoutes(res, { platformOrg: opts.platformOrg ?? 'default' }));
  await app.register(installationRoutes(res));
  const flags = await FeatureFlags.start({ pool: res.db.pool, redis: res.redis, prefix: res.prefix, onError: (err) => res.logger.warn({ err }, 'feature flags: re-read failed (the last values stay)') });
  app.addHook('onClose', async () => flags.stop());
  await app.register(flagRoutes(res, flags));
  const hub = new LiveRunHub(res.createSubscriber, res.prefix, res.logger);
  app.addHook('onClose', async () => hub.close());
  await app.register(liveRoutes(res, hub, { heartbeatMs: 25_000, maxBacklogBytes: 8 * 1024 * 1024, subscribeTimeoutMs: 5_000, ...opts.live }));
  return app;
}
