import { baseEnv, evaluationLimitsEnv, transitionEnv, valueLimitsEnv, workerEnv, int, parseEnv } from '@weft/config';
import { z } from 'zod';

export const OrchestratorEnvSchema = z.object({
  ...baseEnv,
  ...workerEnv,
  /** Jobs (run advances) processed at once by this process; one run is still advanced in order. */
  WEFT_ORCHESTRATOR_CONCURRENCY: int(16),
  /** How often the outbox relay looks for jobs the eager path did not publish (ms). */
  WEFT_OUTBOX_RELAY_INTERVAL_MS: int(500),
  /** Age after which an outbox row is considered abandoned by its writer and relayed (ms). */
  WEFT_OUTBOX_GRACE_MS: int(2000),
  /** How often the sweeper looks for due timers, expired step deadlines and run deadlines (ms). */
  WEFT_SWEEP_INTERVAL_MS: int(1000),
  /** How late a timer or deadline must be before the sweeper acts (the delayed job normally fires first) (ms). */
  WEFT_SWEEP_GRACE_MS: int(1000),
  /**
   * How many times a step may be lost with its worker (its lease expired: the executor died) and
   * still be re-queued, without consuming the node's retry attempts; the next loss fails it as a
   * poison step with `worker_lost`.
   */
  WEFT_STEP_MAX_LOSSES: int(3),
  /**
   * How long work may look idle before the reconciler re-publishes jobs missing from Redis (ms).
   * Lower means faster recovery after a Redis loss, higher means fewer checks of busy runs.
   */
  WEFT_RECONCILE_AFTER_MS: int(15_000),
  /** How often the scheduler looks for due cron schedules (ms); 0 turns it off in this process. */
  WEFT_SCHEDULER_INTERVAL_MS: int(1000),
  /** Schedules one scheduler transaction claims (FOR UPDATE SKIP LOCKED); a full batch ticks again at once. */
  WEFT_SCHEDULER_BATCH: z.coerce.number().int().min(1).default(100),
  /**
   * How late a fire may be and still count as on time (ms): it always starts. Older fires were
   * missed while no scheduler ran (downtime) and follow the schedule's catchup policy.
   */
  WEFT_SCHEDULE_MISFIRE_GRACE_MS: int(10_000),
  /** catchup "all": how far back missed fires are replayed (ms). */
  WEFT_SCHEDULE_CATCHUP_WINDOW_MS: int(86_400_000),
  /** catchup "all": most missed fires replayed per schedule after a downtime (the newest ones). */
  WEFT_SCHEDULE_CATCHUP_MAX: z.coerce.number().int().min(1).default(100),
  /**
   * How long published outbox rows wait to be deleted together (ms): one DELETE per interval
   * instead of one per job. Keep it well under WEFT_OUTBOX_GRACE_MS (the relay re-publishes older rows).
   */
  WEFT_OUTBOX_DELETE_INTERVAL_MS: int(200),
  /** How often the retention job clears run data past each org's retention (ms); 0 turns it off in this process. */
  WEFT_RETENTION_INTERVAL_MS: int(300_000),
  /** Runs the retention job clears per transaction. */
  WEFT_RETENTION_BATCH: z.coerce.number().int().min(1).max(1000).default(100),
  /** A folder where the retention job writes each run as JSON Lines (`<orgId>/<runId>.jsonl`) before clearing it; unset: no files. */
  WEFT_RETENTION_EXPORT_DIR: z.string().min(1).optional(),
  /** How often the daily usage aggregation (usage_events → usage_daily) runs (ms); 0 turns it off in this process. */
  WEFT_USAGE_AGGREGATE_INTERVAL_MS: int(300_000),
  /** A Stripe secret key: when set, closed days of usage are reported to Stripe's Billing Meter Events API (docs/operating/usage.md). */
  WEFT_STRIPE_API_KEY: z.string().min(1).optional(),
  /** Stripe's API base URL (a local double in tests). */
  WEFT_STRIPE_API_URL: z.string().url().default('https://api.stripe.com'),
  /** Bench only (`npm run bench -- hops`): folder where this process writes the timestamps of each step's hops at exit. */
  WEFT_TRACE_HOPS_DIR: z.string().optional(),
  /** Postgres pool size of this process. */
  WEFT_DB_POOL_MAX: int(20),
  /** Budget of each step's expressions, and size of the values it stores (README "Budgets and limits"). */
  ...evaluationLimitsEnv,
  ...valueLimitsEnv,
  /** WEFT_INLINE_PURE_STEPS and the run-shape limits (WEFT_MAX_FOREACH_ITEMS, …), shared with executors. */
  ...transitionEnv,
});
export type OrchestratorEnv = z.infer<typeof OrchestratorEnvSchema>;

export const loadEnv = (env: NodeJS.ProcessEnv = process.env) => parseEnv(OrchestratorEnvSchema, env);
