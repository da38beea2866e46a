import { nodeKind, type StepError } from '@weft/workflow-schema';
import type { Decision, Input } from './decision';
import type { DueTimer } from './types';

/**
 * Fires the run's due timers (read under the run lock, so exactly once): a delay ends
 * successfully; an approval that timed out takes its `rejected` path, or fails when it has none.
 * Each step's new status is an effect written applied; the engine gets it in this decision.
 */
export function fireDueTimers(d: Decision, due: readonly DueTimer[]): Input[] {
  const inputs: Input[] = [];
  for (const s of due) {
    const base = { nodeId: s.nodeId, attempt: s.attempt };
    if (nodeKind(s.nodeType) === 'timer') {
      const output = { resumedAt: new Date(d.env.now).toISOString() };
      d.effects.push({ type: 'settle-step', from: 'waiting', stepId: s.stepId, status: 'succeeded', output, error: null, handle: null });
      d.addOutputs([{ nodeId: s.nodeId, output }]);
      d.log('timer.fired', {}, s.nodeId, s.stepId);
      inputs.push({ stepId: s.stepId, event: { type: 'step.succeeded', ...base } });
      continue;
    }
    const hasRejectedPath = (d.graph.outgoing.get(s.nodeId) ?? []).some((e) => e.handle === 'rejected');
    if (hasRejectedPath) {
      const output = { timedOut: true };
      d.effects.push({ type: 'settle-step', from: 'waiting', stepId: s.stepId, status: 'succeeded', output, error: null, handle: 'rejected' });
      d.addOutputs([{ nodeId: s.nodeId, output }]);
      inputs.push({ stepId: s.stepId, approval: 'rejected', event: { type: 'step.succeeded', ...base, handle: 'rejected' } });
    } else {
      const error: StepError = { code: 'approval_timeout', message: 'nobody approved or rejected in time', retryable: false };
      d.effects.push({ type: 'settle-step', from: 'waiting', stepId: s.stepId, status: 'failed', output: null, error, handle: null });
      inputs.push({ stepId: s.stepId, event: { type: 'step.failed', ...base, error, random: d.env.random() } });
    }
    d.log('approval.timed_out', { path: hasRejectedPath ? 'rejected' : 'failed' }, s.nodeId, s.stepId);
  }
  return inputs;
}
