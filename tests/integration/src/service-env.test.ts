import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { StudioEnvSchema } from '../../../apps/studio/src/env';
import { BASIC_ENV, platformEnvs } from '../../../scripts/platform/service-env';
import { loadEnv as executorEnv } from '../../../services/executor/src/env';
import { loadEnv as gatewayEnv } from '../../../services/gateway/src/env';
import { loadEnv as webhooksEnv } from '../../../services/webhooks/src/env';
import { loadEnv as orchestratorEnv } from '../../../services/orchestrator/src/env';

/** What `npm start` assembles: the operator's environment (with unrelated credentials in it) plus its own settings. */
const everything = {
  PATH: '/usr/local/bin:/usr/bin',
  HOME: '/home/weft',
  NODE_ENV: 'production',
  AWS_SECRET_ACCESS_KEY: 'unrelated-cloud-credential',
  GITHUB_TOKEN: 'ghp_unrelated',
  PGSSLMODE: 'require',
  PGPASSWORD: 'db-password',
  DATABASE_URL: 'postgresql://weft@127.0.0.1:5432/weft',
  REDIS_URL: 'redis://127.0.0.1:6379',
  WEFT_BOOTSTRAP_API_KEY: `weft_dev_${randomBytes(18).toString('base64url')}`,
  WEFT_KEKS: `dev-1:${randomBytes(32).toString('base64')}`,
  WEFT_KEK_CURRENT: 'dev-1',
  WEFT_GATEWAY_PORT: '8080',
  LOG_LEVEL: 'info',
  WEFT_HTTP_ALLOW_CIDRS: '10.0.0.0/8',
  WEFT_API_URL: 'http://127.0.0.1:8080',
  WEFT_API_KEY: 'weft_dev_studio_key',
  WEFT_DEV_MAILBOX_URL: 'http://127.0.0.1:8080/dev/mailbox',
  WEFT_DEV_MAILBOX: 'true',
  NEXT_TELEMETRY_DISABLED: '1',
};

describe('npm start gives each service only the variables it uses', () => {
  const envs = platformEnvs(everything);

  it('keeps the KEKs from the studio and the orchestrator, and DATABASE_URL from the studio', () => {
    for (const service of ['studio', 'orchestrator'] as const) {
      expect(Object.keys(envs[service]).filter((k) => k.startsWith('WEFT_KEK')), service).toEqual([]);
    }
    expect(envs.studio).not.toHaveProperty('DATABASE_URL');
    expect(envs.studio).not.toHaveProperty('REDIS_URL');
    expect(Object.keys(envs.studio).filter((k) => k.startsWith('PG'))).toEqual([]);
    expect(envs.studio).not.toHaveProperty('WEFT_BOOTSTRAP_API_KEY');
    // The studio forwards the user's session: it holds no API key at all (issue 14).
    expect(envs.studio).not.toHaveProperty('WEFT_API_KEY');
    // What each still needs.
    expect(envs.studio).toMatchObject({ WEFT_API_URL: everything.WEFT_API_URL, WEFT_DEV_MAILBOX_URL: everything.WEFT_DEV_MAILBOX_URL, NEXT_TELEMETRY_DISABLED: '1', PATH: everything.PATH });
    expect(envs.orchestrator).toMatchObject({ DATABASE_URL: everything.DATABASE_URL, REDIS_URL: everything.REDIS_URL, PGSSLMODE: 'require' });
  });

  it('gives the dashboard what the studio gets: the gateway URL and the mailbox page, no API key, database, Redis or KEK', () => {
    expect(Object.keys(envs.dashboard).sort()).toEqual(['NEXT_TELEMETRY_DISABLED', 'NODE_ENV', 'HOME', 'PATH', 'WEFT_API_URL', 'WEFT_DEV_MAILBOX_URL'].sort());
    // The dashboard forwards the user's session, like the studio: it holds no API key at all.
    expect(envs.dashboard).not.toHaveProperty('WEFT_API_KEY');
  });

  it('gives the KEKs to the gateway and the executor, which encrypt and decrypt secrets, and the bootstrap key to the gateway alone', () => {
    for (const service of ['gateway', 'executor', 'webhooks'] as const) {
      expect(envs[service], service).toMatchObject({ WEFT_KEKS: everything.WEFT_KEKS, WEFT_KEK_CURRENT: 'dev-1', DATABASE_URL: everything.DATABASE_URL });
    }
    expect(envs.gateway.WEFT_BOOTSTRAP_API_KEY).toBe(everything.WEFT_BOOTSTRAP_API_KEY);
    for (const service of ['executor', 'orchestrator', 'webhooks', 'studio'] as const) expect(envs[service], service).not.toHaveProperty('WEFT_BOOTSTRAP_API_KEY');
    for (const service of ['gateway', 'executor', 'orchestrator', 'webhooks', 'studio', 'dashboard'] as const) expect(envs[service], service).not.toHaveProperty('WEFT_API_KEY');
    expect(envs.executor.WEFT_HTTP_ALLOW_CIDRS).toBe('10.0.0.0/8');
    expect(envs.gateway).not.toHaveProperty('WEFT_HTTP_ALLOW_CIDRS');
  });

  it('passes nobody a variable no service declares', () => {
    for (const [service, env] of Object.entries(envs)) {
      expect(env, service).not.toHaveProperty('AWS_SECRET_ACCESS_KEY');
      expect(env, service).not.toHaveProperty('GITHUB_TOKEN');
      for (const name of Object.keys(env)) expect(BASIC_ENV.includes(name) || name.startsWith('PG') || name.startsWith('WEFT_') || ['DATABASE_URL', 'REDIS_URL', 'LOG_LEVEL', 'NEXT_TELEMETRY_DISABLED'].includes(name), `${service}: ${name}`).toBe(true);
    }
  });

  it('still boots every service: each env.ts parses what it is given', () => {
    expect(gatewayEnv(envs.gateway)).toMatchObject({ DATABASE_URL: everything.DATABASE_URL, WEFT_KEK_CURRENT: 'dev-1', WEFT_DEV_MAILBOX: true });
    expect(orchestratorEnv(envs.orchestrator)).toMatchObject({ DATABASE_URL: everything.DATABASE_URL });
    expect(executorEnv(envs.executor)).toMatchObject({ WEFT_KEKS: everything.WEFT_KEKS, WEFT_HTTP_ALLOW_CIDRS: '10.0.0.0/8' });
    expect(webhooksEnv(envs.webhooks)).toMatchObject({ DATABASE_URL: everything.DATABASE_URL, WEFT_KEK_CURRENT: 'dev-1', WEFT_WEBHOOKS_PORT: 8090 });
    expect(StudioEnvSchema.parse(envs.studio)).toMatchObject({ WEFT_DEV_MAILBOX_URL: everything.WEFT_DEV_MAILBOX_URL });
  });
});
