import { z } from 'zod';

/**
 * Parses an environment against a Zod object schema at boot and fails with every bad
 * variable named, so a missing setting stops the service at start, not at 3 a.m.
 */
export function parseEnv<T extends z.ZodObject>(schema: T, env: NodeJS.ProcessEnv = process.env): z.infer<T> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const lines = result.error.issues.map((i) => `  - ${i.path.join('.') || '(env)'}: ${i.message}`);
  throw new Error(`Invalid environment:\n${lines.join('\n')}`);
}

/** A port number from a string. */
export const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);

/** A positive integer from a string (milliseconds, counts...). */
export const int = (fallback: number) => z.coerce.number().int().min(0).default(fallback);

/** "true"/"1"/"yes" → true; anything else false. */
export const bool = (fallback: boolean) =>
  z
    .string()
    .optional()
    .transform((v) => (v === undefined ? fallback : ['1', 'true', 'yes', 'on'].includes(v.toLowerCase())));

export const DEFAULT_DATABASE_URL = 'postgresql://postgres@127.0.0.1:5432/weft';
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

/** A comma-separated list of redis:// or rediss:// URLs (blank: unset) as an array. */
const redisSeeds = z
  .string()
  .optional()
  .transform((v) => (v ?? '').split(',').map((s) => s.trim()).filter(Boolean))
  .pipe(z.array(z.url({ protocol: /^rediss?$/, error: 'each seed must be a redis:// or rediss:// URL with host and port' })))
  .transform((seeds) => (seeds.length ? seeds : undefined));

/** Settings every service shares: where Postgres and Redis are, and the queue key prefix. */
export const baseEnv = {
  /** Postgres connection string (the source of truth). */
  DATABASE_URL: z.string().url().default(DEFAULT_DATABASE_URL),
  /** Redis connection string (BullMQ queues and live-run pub/sub). */
  REDIS_URL: z.string().url().default(DEFAULT_REDIS_URL),
  /**
   * Redis Cluster instead of REDIS_URL: seed nodes, comma-separated
   * (`redis://[user:password@]host:port`, `rediss://` for TLS; the first seed's credentials and
   * scheme apply to every node). The other nodes are discovered (docs/redis-cluster.md).
   */
  REDIS_CLUSTER_NODES: redisSeeds,
  /**
   * Prefix of every Redis key and channel; tests use one per file. Each queue's keys are
   * hash-tagged `{<prefix>:<queue>}` (one Redis Cluster slot per queue), so it holds no braces.
   */
  WEFT_QUEUE_PREFIX: z.string().min(1).regex(/^[^{}]+$/, 'must not contain { or } (the queues add their own hash tags)').default('weft'),
  /**
   * Row-level security, the second wall behind each query's org filter ("on"/"off"): the
   * connections act as the `weft_app` role for one org or `weft_maintenance` across orgs (README
   * "Row-level security"). Stays off, with a warning, when the database lacks those roles.
   */
  WEFT_RLS: bool(true),
  /** pino level: fatal, error, warn, info, debug, trace, silent. */
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  // OpenTelemetry's standard variables that decide whether a service traces (docs/operating/traces.md);
  // the SDK reads the others (protocol, headers, sampler…) itself.
  OTEL_SDK_DISABLED: z.string().optional(),
  OTEL_TRACES_EXPORTER: z.string().optional(),
  OTEL_EXPORTER_OTLP_ENDPOINT: z.string().optional(),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: z.string().optional(),
  OTEL_SERVICE_NAME: z.string().optional(),
};

/** Settings of the background workers (orchestrator, executor). */
export const workerEnv = {
  /**
   * CPU niceness the worker gives itself at start (0–19; 0 leaves it as started). On a machine
   * shared with the gateway, background work yields to the API that answers clients: same
   * throughput, shorter submit latency under load (issue 5 bench). Raising niceness needs no privilege.
   */
  WEFT_WORKER_NICE: z.coerce.number().int().min(0).max(19).default(10),
  /**
   * Port of the worker's operations server (`/metrics`, `/healthz`, `/readyz`); unset: none.
   * Each worker process on one host needs its own (`npm start` gives each one, see its banner).
   */
  WEFT_METRICS_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  /** Address the operations server binds (keep it private: it has no key). */
  WEFT_METRICS_HOST: z.string().default('127.0.0.1'),
};
/**
 * Settings of a run's transitions, made by the orchestrator and by executors (which settle the
 * steps they ran): both must hold runs to the same rules.
 */
export const transitionEnv = {
  /**
   * Evaluate pure nodes (trigger, transform, branch: JMESPath over the context, no I/O) inside the
   * run's transition rather than sending them through the queue to an executor.
   */
  WEFT_INLINE_PURE_STEPS: bool(true),
  /** Most items one for_each node may loop over (items); more fails the node with budget_exceeded. */
  WEFT_MAX_FOREACH_ITEMS: z.coerce.number().int().min(1).default(100_000),
  /**
   * Most iterations one run may start, nested loops included (iterations): a loop inside a loop
   * counts its items once per item of the loops around it, so nesting cannot multiply past this.
   */
  WEFT_MAX_ITERATIONS_PER_RUN: z.coerce.number().int().min(1).default(1_000_000),
  /** Deepest nesting of for_each inside for_each bodies (levels). */
  WEFT_MAX_LOOP_DEPTH: z.coerce.number().int().min(1).default(4),
  /** Deepest nesting of sub_workflow runs (levels: a run and its children count 2). */
  WEFT_MAX_SUBWORKFLOW_DEPTH: z.coerce.number().int().min(1).default(10),
};

/** The run-shape limits of `transitionEnv` in run-core's terms (`OrchestratorLimits` without `evaluation`). */
export function runShapeLimits(env: { [K in Exclude<keyof typeof transitionEnv, 'WEFT_INLINE_PURE_STEPS'>]: number }) {
  return {
    maxForEachItems: env.WEFT_MAX_FOREACH_ITEMS,
    maxIterationsPerRun: env.WEFT_MAX_ITERATIONS_PER_RUN,
    maxLoopDepth: env.WEFT_MAX_LOOP_DEPTH,
    maxSubWorkflowDepth: env.WEFT_MAX_SUBWORKFLOW_DEPTH,
  };
}

export { lowerPriority } from './nice';
export { evaluationLimits, evaluationLimitsEnv, valueLimits, valueLimitsEnv } from './limits';
