import { int, parseEnv } from '@weft/config';
import { z } from 'zod';
import { fanoutModes, fanoutWorkload } from './fanout';

const FanoutEnvSchema = z.object({
  /** Parallel no-op steps between the trigger and the join. */
  BENCH_FANOUT_WIDTH: int(1000),
  /** Measured fan-out runs per mode (after one warm-up run); the table shows their median. */
  BENCH_FANOUT_RUNS: int(3),
});

const MODES = fanoutModes('fanout1000');

export const fanout1000 = fanoutWorkload({
  name: 'fanout1000',
  description:
    'One trigger fanning out to BENCH_FANOUT_WIDTH (1,000) parallel no-op transform steps, joined by one step (join: all) that counts the outputs it sees; ' +
    `one warm-up then BENCH_FANOUT_RUNS (3) measured runs per setting, medians shown. Weft in two settings: ${MODES.map((m) => `**${m.label}**: ${m.what}`).join('; ')}.`,
  settings() {
    const env = parseEnv(FanoutEnvSchema);
    return { width: env.BENCH_FANOUT_WIDTH, runs: env.BENCH_FANOUT_RUNS, modes: MODES, runTimeoutMs: 300_000 };
  },
});
