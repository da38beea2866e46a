import type { Keyring } from '@weft/crypto';
import { asMaintenance } from '@weft/db';
import { DEFAULT_LIMITS, type Limits } from '@weft/engine';
import type { RegisteredFunction } from '@weft/functions';
import type { Logger } from '@weft/logger';
import type { FlagReader } from '@weft/flags';
import { devMailbox, type Mailer } from '@weft/mail';
import { QUEUES, createWorker, markHop, type Queues } from '@weft/queue';
import { DEFAULT_ORCHESTRATOR_LIMITS, GuardedWrites, type OrchestratorLimits } from '@weft/run-core';
import { GraphCache, OutboxDeletes, RunBus, RunOrgs } from '@weft/run-store';
import type { RedisClient } from '@weft/queue';
import type { Pool } from 'pg';
import { startAlertWorker } from './alerts/worker';
import { executeStep } from './execute-step';
import { StepLeases } from './leases';
import { AddressPolicy } from './http/address-policy';
import { CircuitBreakers } from './http/circuit-breaker';
import { DEFAULT_ENDPOINTS, type ProviderEndpointMap } from '@weft/oauth';
import { StepHttpClient } from './http/client';
import { createProcessors, type IntegrationUrls, type SmtpTlsRequirement } from './processors';
import { releaseSteps } from './release';
import type { ExecutorResources } from './resources';

export interface ExecutorOptions {
  pool: Pool;
  queues: Queues;
  workerConnection: RedisClient;
  /** A connection dedicated to SUBSCRIBE (cancel notices). */
  subscriberConnection: RedisClient;
  prefix: string;
  logger: Logger;
  concurrency: number;
  defaultTimeoutMs: number;
  /** How long a claimed step's lease lasts unless renewed (renewed every third of it while the step runs). */
  leaseMs: number;
  /** Pause between batched DELETEs of published outbox rows (default OUTBOX_DELETE_INTERVAL_MS). */
  outboxDeleteIntervalMs?: number;
  httpAllowCidrs: string;
  httpMaxResponseBytes: number;
  /** Consecutive failures of one org's calls to a host that open that circuit, and the cool-down before a trial. */
  breakerFailures?: number;
  breakerCooldownMs?: number;
  /** When send_email insists on TLS (default `public`: all but local hosts the allow-list opens). */
  smtpRequireTls?: SmtpTlsRequirement;
  /** Base URLs of Slack, Google and the LLM APIs (defaults: the real services). */
  integrationUrls?: Partial<IntegrationUrls>;
  /** OAuth provider endpoints of connections (default: Google's and Slack's production ones). */
  oauthEndpoints?: ProviderEndpointMap;
  /** Refresh a connection's access token when it expires within this margin (default 60 s). */
  oauthRefreshMarginMs?: number;
  /** Registered functions (loaded from WEFT_FUNCTIONS_DIR by main.ts). */
  functions?: ReadonlyMap<string, RegisteredFunction>;
  /** Key-encryption keys (WEFT_KEKS) that unwrap secrets; without them steps using secrets fail. */
  keyring?: Keyring;
  /** Budget of each step's templates and size of the outputs it stores (default: DEFAULT_LIMITS). */
  limits?: Limits;
  /**
   * Settle steps where they ran: the run's transition is written with the completion (default
   * true); false hands every completed step to the orchestrator by a step-settled job.
   */
  settleInPlace?: boolean;
  /** With settleInPlace: run the next executor step a transition starts here at once, claimed by the write (default true). */
  eagerDispatch?: boolean;
  /** A step claimed by this process's own write: completion and transition in one statement (default true; WEFT_SETTLE_IN_ONE_STATEMENT). */
  oneStatement?: boolean;
  /** With settleInPlace: a for_each iteration that succeeds here starts its loop's next pending item (default true). */
  iterationSuccessors?: boolean;
  /** Feature flags (per org, from memory): `iteration-successors` turns the above off for one org. */
  flags?: FlagReader;
  /** The transitions made here evaluate pure nodes inline as the orchestrator does (its WEFT_INLINE_PURE_STEPS; default true). */
  inlinePureSteps?: boolean;
  /** Limits of run shapes the transitions made here hold runs to (the orchestrator's; default DEFAULT_ORCHESTRATOR_LIMITS). */
  runLimits?: OrchestratorLimits;
  /**
   * The alerts queue's worker (evaluations and deliveries, docs/operating/alerts.md): its mailer
   * (default: the development mailbox; null: email alerts fail) and concurrency (default 4);
   * false: this executor takes no alert jobs.
   */
  alerts?: false | { mailer?: Mailer | null; concurrency?: number; /** Base of approval links (default http://localhost:3001). */ dashboardUrl?: string };
}

/** Whether an org's iterations start their successors here: off for all (WEFT_ITERATION_SUCCESSORS=false), else the org's flag. */
export function successorsOf(o: Pick<ExecutorOptions, 'iterationSuccessors' | 'flags'>): boolean | ((orgId: string) => boolean) {
  if (o.iterationSuccessors === false) return false;
  const flags = o.flags;
  return flags ? (orgId) => flags.enabled(orgId, 'iteration-successors') : true;
}

/** Starts a BullMQ worker executing steps. */
export function startExecutor(o: ExecutorOptions) {
  const policy = new AddressPolicy(o.httpAllowCidrs);
  const http = new StepHttpClient(policy, o.httpMaxResponseBytes, new CircuitBreakers(o.breakerFailures ?? 5, o.breakerCooldownMs ?? 30_000));
  const running = new Map<string, AbortController>();
  // A cancelled run aborts its running steps here; their late results are fenced out anyway.
  void RunBus.subscribeCancels(o.subscriberConnection, o.prefix, (stepIds) => {
    for (const id of stepIds) running.get(id)?.abort(new Error('cancelled'));
  });
  const outboxDeletes = new OutboxDeletes(o.pool, { logger: o.logger, ...(o.outboxDeleteIntervalMs ? { intervalMs: o.outboxDeleteIntervalMs } : {}) });
  const leases = new StepLeases(o.pool, o.leaseMs, o.logger).start();
  const graphs = new GraphCache(o.pool);
  const stopping = { now: false };
  const res: ExecutorResources = {
    pool: o.pool,
    outboxDeletes,
    running,
    bus: new RunBus(o.queues.connection, o.prefix),
    queues: o.queues,
    logger: o.logger,
    processors: createProcessors({ http, policy, ...(o.smtpRequireTls ? { email: { requireTls: o.smtpRequireTls } } : {}), ...(o.integrationUrls ? { urls: o.integrationUrls } : {}), ...(o.functions ? { functions: o.functions } : {}) }),
    graphs,
    defaultTimeoutMs: o.defaultTimeoutMs,
    leases,
    keyring: o.keyring,
    connections: { pool: o.pool, keyring: o.keyring, http, endpoints: o.oauthEndpoints ?? DEFAULT_ENDPOINTS, refreshMarginMs: o.oauthRefreshMarginMs ?? 60_000 },
    limits: o.limits ?? DEFAULT_LIMITS,
    stopping,
    ...(o.settleInPlace === false
      ? {}
      : { settleInPlace: { pool: o.pool, graphs, logger: o.logger, writes: new GuardedWrites(o.pool), inlinePureSteps: o.inlinePureSteps ?? true, limits: o.runLimits ?? DEFAULT_ORCHESTRATOR_LIMITS, eager: o.eagerDispatch ?? true, oneStatement: o.oneStatement ?? true, successors: successorsOf(o) } }),
  };
  // A step acts for its run's org only (row-level security): the claim, the processor's reads
  // (secrets, connections), the result, the transition and the next steps it claims here.
  const runOrgs = new RunOrgs(o.pool);
  const worker = createWorker(
    QUEUES.executor,
    async (job, signal) => {
      markHop('exec.pick', job.data.runId, job.id ?? '');
      await runOrgs.forRun(
        job.data.runId,
        () => {
          // Bench `hops`: the run's org is known (a new run's costs a statement).
          markHop('exec.scoped', job.data.runId, job.id ?? '');
          return executeStep(res, job.data.stepId, signal, { queuedAt: job.timestamp + (job.delay ?? 0) });
        },
        () => o.logger.debug({ runId: job.data.runId, stepId: job.data.stepId }, 'step of a run that no longer exists: skipped'),
      );
    },
    { connection: o.workerConnection, prefix: o.prefix, concurrency: o.concurrency },
  );
  worker.on('failed', (job, err) => o.logger.error({ err, stepId: job?.data?.stepId }, 'execute-step job failed'));
  const alertConnection = o.alerts === false ? undefined : o.workerConnection.duplicate();
  const alertHttp = new StepHttpClient(policy, 64 * 1024);
  const alertWorker =
    o.alerts === false || !alertConnection
      ? undefined
      : startAlertWorker({
          pool: o.pool, queues: o.queues, connection: alertConnection, prefix: o.prefix, logger: o.logger, keyring: o.keyring,
          http: alertHttp,
          mailer: o.alerts?.mailer === undefined ? devMailbox(o.pool, o.logger) : o.alerts.mailer,
          concurrency: o.alerts?.concurrency ?? 4,
          dashboardUrl: o.alerts?.dashboardUrl ?? 'http://localhost:3001',
        });
  worker.on('error', (err) => o.logger.error({ err }, 'executor worker error'));
  return {
    worker,
    /**
     * Stops taking jobs and lets running steps finish. After `graceMs` the steps still running
     * are released to other executors (fenced, so their late results are discarded) and aborted.
     */
    async stop(graceMs = Number.POSITIVE_INFINITY) {
      stopping.now = true;
      const closingAlerts = alertWorker?.close();
      const closing = worker.close();
      let timer: NodeJS.Timeout | undefined;
      const graceOver = new Promise<'grace'>((resolve) => {
        if (Number.isFinite(graceMs)) timer = setTimeout(() => resolve('grace'), graceMs);
      });
      if ((await Promise.race([closing.then(() => 'closed' as const), graceOver])) === 'grace') {
        const ids = [...running.keys()];
        // With the fences they were claimed with: a step this executor lost meanwhile stays with its new owner.
        // Steps of every org held here: the maintenance role (README, Row-level security).
        const released = await asMaintenance(() => releaseSteps(o.pool, o.queues, leases.steps(), o.logger)).catch((err: unknown) => {
          o.logger.error({ err }, 'could not release running steps; they are retried when their deadline passes');
          return [];
        });
        o.logger.warn({ graceMs, running: ids.length, released: released.length }, 'shutdown grace period over: running steps released to other executors');
        for (const id of ids) running.get(id)?.abort(new Error('executor shutting down'));
        // Processors honour their AbortSignal; one that does not is not waited for long.
        await Promise.race([closing, new Promise((r) => setTimeout(r, 5000).unref())]);
      }
      clearTimeout(timer);
      leases.stop();
      await outboxDeletes.flush();
      await http.close();
      await closingAlerts;
      await alertHttp.close();
      alertConnection?.disconnect();
    },
  };
}
