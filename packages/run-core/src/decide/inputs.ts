import type { EngineEvent } from '@weft/engine';
import type { SettledStep } from '@weft/run-store';
import { nodeKind } from '@weft/workflow-schema';
import type { Decision, Input } from './decision';

/** Run-level inputs: start, retry request, cancel request, deadline passed. */
export function runEvents(d: Decision): Input[] {
  const events: EngineEvent[] = [];
  const { run } = d;
  if (!run.state) events.push({ type: 'run.started' });
  if (run.retry_request) events.push({ type: 'run.retry_requested', ...(run.retry_request.fromNodeId ? { fromNodeId: run.retry_request.fromNodeId } : {}) });
  if (run.cancel_requested_at) events.push({ type: 'run.cancel_requested' });
  if (run.deadline_at && run.deadline_at.getTime() <= d.env.now) events.push({ type: 'run.timed_out' });
  return events.map((event) => ({ event, stepId: null }));
}

/**
 * Steps that ended outside the transition (executor, resume, children, sweeper) as engine inputs;
 * a waiting step (an approval) that succeeded records the decision it took.
 */
export function settledInputs(d: Decision, settled: readonly SettledStep[]): Input[] {
  return settled.map((s) => ({
    stepId: s.id,
    ...(nodeKind(s.node_type) === 'waiting' && s.status === 'succeeded' ? { approval: s.handle ?? 'rejected', ...(s.decided_by ? { decidedBy: s.decided_by } : {}) } : {}),
    event:
      s.status === 'succeeded'
        ? { type: 'step.succeeded', nodeId: s.node_id, attempt: s.attempt, ...(s.handle ? { handle: s.handle } : {}) }
        : { type: 'step.failed', nodeId: s.node_id, attempt: s.attempt, error: s.error ?? { code: 'unknown', message: 'the step failed without an error', retryable: false }, random: d.env.random() },
  }));
}
