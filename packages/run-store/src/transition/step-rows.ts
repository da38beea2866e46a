/** One run_steps row as a transition writes it (the run's org and id are given once per run). */
export interface StepRow {
  id: string;
  nodeId: string;
  nodeType: string;
  attempt: number;
  status: string;
  applied: boolean;
  availableAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  timeoutMs: number | null;
  /** JSON text (or null) of input, output and error. */
  input: string | null;
  output: string | null;
  error: string | null;
  handle: string | null;
  itemsTotal: number;
  /** A loop step written with the iterations its transition started (the adapter sets it; default 0). */
  itemsStarted?: number;
  /**
   * Written already claimed (status `running`): fence 1, a lease of `leaseMs` and a deadline
   * `deadlineMs` from now, the columns a claim sets. The executor that settles a step where it ran
   * inserts the next step so and runs it at once (no job, no claim statement).
   */
  claim?: { leaseMs: number; deadlineMs: number };
}

/**
 * The seventeen column arrays of the step rows of a transition's write (`WRITE_TRANSITIONS`): column
 * arrays unnested by ONE statement whatever the number of rows, so a 10,000-wide fan-out is one
 * round trip and the 65,535 bind-parameter limit of a VALUES list is out of the way.
 */
export function stepParams(steps: readonly StepRow[]): unknown[][] {
  const col = <K extends keyof StepRow>(k: K) => steps.map((s) => s[k]);
  return [
    col('id'), col('nodeId'), col('nodeType'), col('attempt'), col('status'), col('applied'), col('availableAt'),
    col('startedAt'), col('finishedAt'), col('timeoutMs'), col('input'), col('output'), col('error'), col('handle'), col('itemsTotal'),
    steps.map((s) => s.claim?.leaseMs ?? null), steps.map((s) => s.claim?.deadlineMs ?? null),
  ];
}
