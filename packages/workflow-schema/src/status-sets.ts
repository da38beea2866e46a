import type { RunStatus, StepStatus } from './status';

// Apart from the schemas in status.ts: with no Zod import, a browser bundle that needs only these
// sets leaves Zod out (the package is `sideEffects: false`; the studio's opening path, issue 4).

export const TERMINAL_RUN_STATUSES: ReadonlySet<RunStatus> = new Set(['succeeded', 'failed', 'cancelled']);

export const TERMINAL_STEP_STATUSES: ReadonlySet<StepStatus> = new Set([
  'succeeded',
  'failed',
  'skipped',
  'cancelled',
]);
