import { int, parseEnv, workerEnv } from '@weft/config';
import { z } from 'zod';

export const BenchEnvSchema = z.object({
  /** The niceness the services' workers take (their default); baselines in the bench process run at it too (see nice.ts). */
  ...workerEnv,
  /** Any database on the Postgres server to benchmark against; a fresh database is created beside it. */
  DATABASE_URL: z.string().url().default('postgresql://postgres@127.0.0.1:5432/postgres'),
  /** Redis server; the bench uses a private key prefix and deletes it at the end. */
  REDIS_URL: z.string().url().default('redis://127.0.0.1:6379'),
  /** How long the services may take to start (s): longer on a machine other work keeps busy. */
  BENCH_START_TIMEOUT_S: int(60),
  /** Runs (and baseline chains) measured one at a time, after the warm-up. */
  BENCH_SEQUENTIAL_RUNS: int(100),
  /** Runs done first and thrown away (JIT, caches, pools). */
  BENCH_WARMUP_RUNS: int(3),
  /** Runs (and baseline chains) submitted at once for the throughput measure. */
  BENCH_BURST_RUNS: int(200),
  /**
   * How sequential runs are waited for: `events` (default) listens to the runs' live events on Redis,
   * so nothing loads the services while a run runs; `poll` polls GET /v1/runs/:id every BENCH_POLL_MS
   * (what the bench did before 2026-12-05: the polling takes CPU from the measured services).
   */
  BENCH_WAIT: z.enum(['events', 'poll']).default('events'),
  /** How often the client polls GET /v1/runs/:id while it waits for one run with BENCH_WAIT=poll (ms). */
  BENCH_POLL_MS: int(5),
  /** Jobs the baseline worker runs at once; 32 matches the executor's default WEFT_EXECUTOR_CONCURRENCY. */
  BENCH_BASELINE_CONCURRENCY: int(32),
  /**
   * Extra Node.js arguments for every service process, for profiling: e.g.
   * "--cpu-prof --cpu-prof-dir=/tmp/prof" or "--import ./bench/src/profile/trace.mjs".
   */
  BENCH_SERVICE_NODE_ARGS: z.string().default(''),
});
export type BenchEnv = z.infer<typeof BenchEnvSchema>;

export const loadEnv = (env: NodeJS.ProcessEnv = process.env) => parseEnv(BenchEnvSchema, env);
