import type { Queryable } from '../sql';

/** How a step the transition settles itself ends; written applied (the engine got it in the same transition). */
export interface StepOutcome {
  stepId: string;
  status: 'succeeded' | 'failed';
  output: unknown;
  error: unknown;
  handle: string | null;
}

const settleFrom = (from: 'waiting' | 'running') => `UPDATE run_steps SET status = $2, output = $3, error = $4, handle = $5,
       finished_at = clock_timestamp(), applied = true
     WHERE id = $1 AND status = '${from}'`;
const SETTLE_WAITING = settleFrom('waiting');
const SETTLE_RUNNING = settleFrom('running');

const json = (v: unknown) => (v === undefined || v === null ? null : JSON.stringify(v));

/** A waiting step settled by its due timer (a delay ends, an approval times out). */
export async function settleWaitingStep(q: Queryable, s: StepOutcome): Promise<void> {
  await q.query({ name: 'weft_orch_settle_waiting', text: SETTLE_WAITING, values: [s.stepId, s.status, json(s.output), json(s.error), s.handle] });
}

/** A running for_each step settled when its items ended (all done, or one failed). */
export async function settleLoopStep(q: Queryable, s: StepOutcome): Promise<void> {
  await q.query({ name: 'weft_orch_settle_loop', text: SETTLE_RUNNING, values: [s.stepId, s.status, json(s.output), json(s.error), s.handle] });
}
