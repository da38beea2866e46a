import { int, parseEnv } from '@weft/config';
import { z } from 'zod';
import { fanoutModes, fanoutWorkload } from './fanout';

const Fanout100kEnvSchema = z.object({
  /** Parallel no-op steps between the trigger and the join (issue 13's next goal: 100,000 in under 5 s, under 1 GB per service). */
  BENCH_FANOUT100K_WIDTH: int(100_000),
  /** Measured runs (after one warm-up run); the table shows their median. */
  BENCH_FANOUT100K_RUNS: int(1),
  /** How long one run may take before the workload fails (ms). */
  BENCH_FANOUT100K_RUN_TIMEOUT_MS: int(1_800_000),
});

/**
 * The definition of a 100,000-wide fan-out is ~20 MB of JSON, past the gateway's default body
 * limit (5 MiB) and the value limit of one stored value (16 MiB, the run's state): both raised
 * for this row only, which measures the engine, not the limits.
 */
const MODES = fanoutModes('fanout100k').slice(0, 1).map((m) => ({
  ...m,
  overrides: { ...m.overrides, WEFT_MAX_BODY_BYTES: String(256 * 1024 * 1024), WEFT_MAX_VALUE_BYTES: String(256 * 1024 * 1024) },
  what: `${m.what}; WEFT_MAX_BODY_BYTES and WEFT_MAX_VALUE_BYTES raised to 256 MiB (the definition alone is ~20 MB)`,
}));

export const fanout100k = fanoutWorkload({
  name: 'fanout100k',
  description:
    'fanout1000 at BENCH_FANOUT100K_WIDTH (100,000) no-op transforms and a join (issue 13\'s next goal: under 5 s and under 1 GB per service on the 2-core machine); ' +
    `one warm-up then BENCH_FANOUT100K_RUNS (1) measured run. Weft ${MODES.map((m) => `**${m.label}**: ${m.what}`).join('; ')}. Peak RSS per service in the notes.`,
  settings() {
    const env = parseEnv(Fanout100kEnvSchema);
    return { width: env.BENCH_FANOUT100K_WIDTH, runs: env.BENCH_FANOUT100K_RUNS, modes: MODES, runTimeoutMs: env.BENCH_FANOUT100K_RUN_TIMEOUT_MS };
  },
});
