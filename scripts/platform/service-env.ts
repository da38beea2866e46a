import { DashboardEnvSchema } from '../../apps/dashboard/src/env';
import { StudioEnvSchema } from '../../apps/studio/src/env';
import { ExecutorEnvSchema } from '../../services/executor/src/env';
import { GatewayEnvSchema } from '../../services/gateway/src/env';
import { OrchestratorEnvSchema } from '../../services/orchestrator/src/env';
import { WebhooksEnvSchema } from '../../services/webhooks/src/env';

export type ServiceName = 'gateway' | 'orchestrator' | 'executor' | 'webhooks' | 'studio' | 'dashboard';

/**
 * The variables each service reads: the keys of its own env.ts schema (the only place a
 * service reads its environment), so the list cannot drift from the code. The gateway and the
 * executor declare the KEKs (they encrypt and decrypt secrets); the orchestrator declares
 * DATABASE_URL (it writes run state) but no KEK; the studio and the dashboard declare neither
 * (they only talk to the gateway, with the signed-in user's session: no API key either).
 */
const DECLARED: Record<ServiceName, readonly string[]> = {
  gateway: Object.keys(GatewayEnvSchema.shape),
  orchestrator: Object.keys(OrchestratorEnvSchema.shape),
  executor: Object.keys(ExecutorEnvSchema.shape),
  webhooks: Object.keys(WebhooksEnvSchema.shape),
  // Next.js reads NEXT_TELEMETRY_DISABLED itself.
  studio: [...Object.keys(StudioEnvSchema.shape), 'NEXT_TELEMETRY_DISABLED'],
  dashboard: [...Object.keys(DashboardEnvSchema.shape), 'NEXT_TELEMETRY_DISABLED'],
};

/** What any process needs to run at all, whatever it does (none of these is a credential). */
export const BASIC_ENV: readonly string[] = ['PATH', 'HOME', 'USER', 'LANG', 'LC_ALL', 'TZ', 'TMPDIR', 'NODE_ENV', 'NODE_OPTIONS', 'NODE_EXTRA_CA_CERTS', 'NO_COLOR', 'FORCE_COLOR'];

/**
 * The environment one service is started with: the basics, the variables its env.ts declares,
 * and for the services that talk to Postgres the libpq `PG*` variables node-postgres also
 * reads (PGSSLMODE, ...). Nothing else: a service does not hold keys or URLs it never uses, so
 * a compromised studio cannot read the KEKs or reach the database directly.
 */
export function serviceEnv(service: ServiceName, env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const declared = new Set([...BASIC_ENV, ...DECLARED[service]]);
  const postgres = declared.has('DATABASE_URL');
  const out: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined && (declared.has(name) || (postgres && /^PG[A-Z]+$/.test(name)))) out[name] = value;
  }
  return out;
}

/** Every service's environment, from the one `npm start` assembled (process env + its own settings). */
export function platformEnvs(env: NodeJS.ProcessEnv): Record<ServiceName, NodeJS.ProcessEnv> {
  return {
    gateway: serviceEnv('gateway', env),
    orchestrator: serviceEnv('orchestrator', env),
    executor: serviceEnv('executor', env),
    webhooks: serviceEnv('webhooks', env),
    studio: serviceEnv('studio', env),
    dashboard: serviceEnv('dashboard', env),
  };
}
