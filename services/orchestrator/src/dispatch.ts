import { newId } from '@weft/db';
import { Budget, PURE_NODE_TYPES, checkValue, evaluatePureNode, renderTemplate, serializeWithin } from '@weft/engine';
import { jobIds } from '@weft/queue';
import { ControlError, toError } from './control-error';
import { startForEach } from './for-each';
import { insertSteps, type NewStep } from './step-rows';
import { startChildRun } from './sub-workflow';
import type { Transition } from './transition-context';
import { NeedsLock } from './transition-write';

/** Far future for approvals without a timeout (timestamptz 'infinity' does not map to a JS Date). */
const NEVER = new Date('9999-12-31T00:00:00Z');

export interface Dispatch {
  nodeId: string;
  attempt: number;
  delayMs: number;
}

/**
 * Starts the steps the engine made ready. Executable nodes become `queued` rows plus an
 * execute-step job; control nodes are carried out here: delay and approval become `waiting`
 * rows with a durable timer, sub_workflow starts a child run, for_each starts iteration runs.
 * A node that cannot start (bad template, unknown workflow, an expression error, a budget
 * exceeded) is inserted `failed` and its failure is fed to the engine in the next round of this
 * transition. Each node gets its
 * own budget (what its expressions may spend), and what it stores is held to the value limits.
 */
export async function dispatchSteps(t: Transition, dispatches: Dispatch[]): Promise<void> {
  const plain: { d: Dispatch; row: NewStep }[] = [];
  // Inline results are written together after the loop (a 10,000-wide fan-out is one INSERT),
  // already applied: the engine gets them from memory next round (Transition.takeInlineSettled),
  // not by reading 10,000 rows back. Their ids are drawn first so the events keep the dispatch order.
  const inline: NewStep[] = [];
  for (const d of dispatches) {
    const node = t.graph.node(d.nodeId);
    const base = { nodeId: d.nodeId, nodeType: node.type, attempt: d.attempt };
    const budget = new Budget(t.limits.evaluation);
    try {
      switch (node.type) {
        case 'delay':
          await startTimer(t, { ...base, status: 'waiting', wakeAt: await wakeTime(t, node.config, budget), input: node.config });
          break;
        case 'wait_for_approval': {
          const prompt = renderTemplate(node.config.prompt, await t.context(), budget);
          checkValue(prompt, t.limits.evaluation, `the prompt of node "${node.id}"`);
          const timeoutMs = node.config.timeoutMs as number | undefined;
          const wakeAt = timeoutMs ? new Date(Date.now() + timeoutMs) : NEVER;
          await startTimer(t, { ...base, status: 'waiting', wakeAt, input: { prompt, timeoutMs: timeoutMs ?? null } }, !!timeoutMs);
          break;
        }
        case 'sub_workflow':
          await startChildRun(t, base, node.config, budget);
          break;
        case 'for_each':
          await startForEach(t, base, node, budget);
          break;
        default:
          if (t.res.inlinePureSteps && PURE_NODE_TYPES.has(node.type)) {
            const r = evaluatePureNode(node, await t.context(), budget);
            // Serialized here, once: the check of the output's size is the text the row is written with.
            const outputJson = serializeWithin(r.output, t.limits.evaluation, `the output of node "${node.id}"`);
            const stepId = newId();
            inline.push({ ...base, id: stepId, status: 'succeeded', applied: true, outputJson, handle: r.handle ?? null });
            t.log.push('step.dispatched', { attempt: d.attempt, delayMs: 0, inline: true }, d.nodeId, stepId);
            const event = { type: 'step.succeeded', nodeId: d.nodeId, attempt: d.attempt, ...(r.handle ? { handle: r.handle } : {}) } as const;
            t.settleInline({ stepId, nodeId: d.nodeId, output: r.output, event });
          } else {
            plain.push({ d, row: { ...base, status: 'queued', delayMs: d.delayMs, timeoutMs: node.timeoutMs ?? null } });
          }
      }
    } catch (err) {
      if (err instanceof NeedsLock) throw err; // an unlocked transition cannot go on: not the node's failure
      // Settled in memory like an inline result: the engine sees the failure next round of this
      // transition. (Left unapplied in the table, an unlocked transition, which reads settled
      // steps only with the run, never saw it: the run waited for the reconciler.)
      const stepId = newId();
      const error = toError(err);
      insertSteps(t, [{ ...base, id: stepId, status: 'failed', applied: true, error }]);
      const random = (t.res.random ?? Math.random)();
      t.settleInline({ stepId, nodeId: d.nodeId, output: null, event: { type: 'step.failed', nodeId: d.nodeId, attempt: d.attempt, error, random } });
    }
  }
  insertSteps(t, inline);
  const ids = insertSteps(t, plain.map((p) => p.row));
  plain.forEach(({ d }, i) => {
    const stepId = ids[i]!;
    t.jobs.push({ name: 'execute-step', jobId: jobIds.executeStep(stepId, 0), payload: { stepId, runId: t.run.id }, delayMs: d.delayMs });
    t.log.push('step.dispatched', { attempt: d.attempt, delayMs: d.delayMs }, d.nodeId, stepId);
  });
}

/** A waiting step with a durable timer: a delayed job wakes the run; the sweeper is the backstop. */
async function startTimer(t: Transition, row: NewStep, withTimer = true) {
  const [stepId] = insertSteps(t, [row]);
  t.log.push(row.nodeType === 'delay' ? 'timer.started' : 'approval.requested', { attempt: row.attempt, wakeAt: withTimer ? row.wakeAt : null }, row.nodeId, stepId!);
  if (withTimer) {
    const delayMs = Math.max(0, row.wakeAt!.getTime() - Date.now());
    t.jobs.push({ name: 'advance-run', jobId: `timer.${stepId}`, payload: { runId: t.run.id }, delayMs });
  }
}

async function wakeTime(t: Transition, config: Record<string, unknown>, budget: Budget): Promise<Date> {
  if (typeof config.durationMs === 'number') return new Date(Date.now() + config.durationMs);
  const until = renderTemplate(config.until, await t.context(), budget);
  const at = typeof until === 'string' || typeof until === 'number' ? new Date(until) : new Date(NaN);
  if (Number.isNaN(at.getTime())) throw new ControlError('invalid_until', `until must be an ISO-8601 time, got ${JSON.stringify(until)}`);
  return at;
}

