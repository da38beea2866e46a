import { checkValue, renderTemplate, type Budget, type CompiledNode } from '@weft/engine';
import { jobFor } from '@weft/queue';
import { configOf, typesOfKind, type NodeConfig, type NodeTypeOfKind } from '@weft/workflow-schema';
import { startChildRun } from './children';
import { ControlError } from './control-error';
import type { Decision } from './decision';
import { startForEach } from './loops';
import { addSteps, type NewStep } from './step-rows';
import type { Base } from './types';

/** Far future for approvals without a timeout (timestamptz 'infinity' does not map to a JS Date). */
const NEVER = new Date('9999-12-31T00:00:00Z');

/** The kinds the orchestrator carries out itself, in the transition (the engine ends the run on `terminal`). */
const CONTROL_KINDS = ['timer', 'waiting', 'loop', 'child'] as const;
type ControlNodeType = NodeTypeOfKind<(typeof CONTROL_KINDS)[number]>;
const CONTROL_TYPES = typesOfKind(...CONTROL_KINDS); // looked up once per dispatched node: a set, built once
export const isControlType = (type: string): type is ControlNodeType => CONTROL_TYPES.has(type);
type ControlHandler = (d: Decision, base: Base, node: CompiledNode, budget: Budget) => void;

/**
 * One handler per control node type, checked against the catalog: a new timer, waiting, loop or
 * child type without a handler here fails the typecheck. Each reads its node's config typed.
 */
export const controlHandlers = {
  delay: (d, base, node, budget) => {
    const wakeAt = wakeTime(d, configOf(node, 'delay'), budget);
    if (wakeAt) startTimer(d, { ...base, status: 'waiting', wakeAt, input: node.config }, 'timer.started');
  },
  wait_for_approval: (d, base, node, budget) => {
    const config = configOf(node, 'wait_for_approval');
    const ctx = d.context();
    if (!ctx) return;
    const prompt = renderTemplate(config.prompt, ctx, budget);
    checkValue(prompt, d.limits.evaluation, `the prompt of node "${node.id}"`);
    const wakeAt = config.timeoutMs ? new Date(d.env.now + config.timeoutMs) : NEVER;
    // With `notify`, the step keeps who to tell and the job that tells them joins this transition's outbox.
    const notice = config.notify ? { notify: config.notify, ...(config.assignees ? { assignees: config.assignees } : {}) } : {};
    const stepId = startTimer(d, { ...base, status: 'waiting', wakeAt, input: { prompt, timeoutMs: config.timeoutMs ?? null, ...notice } }, 'approval.requested', !!config.timeoutMs);
    if (config.notify) d.jobs.push(jobFor.notifyApproval(d.run.id, stepId));
  },
  sub_workflow: (d, base, node, budget) => startChildRun(d, base, configOf(node, 'sub_workflow'), budget),
  for_each: (d, base, node, budget) => startForEach(d, base, node, budget),
} satisfies Record<ControlNodeType, ControlHandler>;

/** A waiting step with a durable timer: a delayed job wakes the run; the sweeper is the backstop. */
function startTimer(d: Decision, row: NewStep, event: 'timer.started' | 'approval.requested', withTimer = true): string {
  const [step] = addSteps(d, [row]);
  d.log(event, { attempt: row.attempt, wakeAt: withTimer ? row.wakeAt : null }, row.nodeId, step!.id);
  if (withTimer) d.jobs.push(jobFor.timerFired(d.run.id, step!.id, Math.max(0, row.wakeAt!.getTime() - d.env.now)));
  return step!.id;
}

function wakeTime(d: Decision, config: NodeConfig<'delay'>, budget: Budget): Date | undefined {
  if (typeof config.durationMs === 'number') return new Date(d.env.now + config.durationMs);
  const ctx = d.context();
  if (!ctx) return undefined;
  const until = renderTemplate(config.until, ctx, budget);
  const at = typeof until === 'string' || typeof until === 'number' ? new Date(until) : new Date(NaN);
  if (Number.isNaN(at.getTime())) throw new ControlError('invalid_until', `until must be an ISO-8601 time, got ${JSON.stringify(until)}`);
  return at;
}
