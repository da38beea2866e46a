import { bool, int, parseEnv } from '@weft/config';
import { z } from 'zod';
import { fanoutModes, fanoutWorkload } from './fanout';

const Fanout10kEnvSchema = z.object({
  /** Parallel no-op steps between the trigger and the join (issue 5 target: 10,000 in under 10 s). */
  BENCH_FANOUT10K_WIDTH: int(10_000),
  /** Measured runs per mode (after one warm-up run); the table shows their median. */
  BENCH_FANOUT10K_RUNS: int(3),
  /** Also measure WEFT_INLINE_PURE_STEPS=false (10,000 BullMQ jobs through the executor): minutes, so opt-in. */
  BENCH_FANOUT10K_QUEUED: bool(false),
  /** How long one run may take before the workload fails (ms). */
  BENCH_FANOUT10K_RUN_TIMEOUT_MS: int(600_000),
});

const MODES = fanoutModes('fanout10k');

export const fanout10k = fanoutWorkload({
  name: 'fanout10k',
  description:
    'fanout1000 at BENCH_FANOUT10K_WIDTH (10,000) no-op transforms and a join (issue 5: makespan under 10 s on the 2-core machine); one warm-up then ' +
    `BENCH_FANOUT10K_RUNS (3) measured runs, medians shown. Weft ${MODES.map((m) => `**${m.label}**: ${m.what}`).join('; ')} (queued only with BENCH_FANOUT10K_QUEUED=true).`,
  settings() {
    const env = parseEnv(Fanout10kEnvSchema);
    return {
      width: env.BENCH_FANOUT10K_WIDTH,
      runs: env.BENCH_FANOUT10K_RUNS,
      modes: env.BENCH_FANOUT10K_QUEUED ? MODES : MODES.slice(0, 1),
      runTimeoutMs: env.BENCH_FANOUT10K_RUN_TIMEOUT_MS,
    };
  },
});
