import { newId } from '@weft/db';
import { Budget, PURE_NODE_TYPES, checkValue, evaluatePureNode, renderTemplate, serializeWithin, type CompiledNode } from '@weft/engine';
import { jobFor } from '@weft/queue';
import { ControlError, toError } from './control-error';
import { startForEach } from './for-each';
import { insertSteps, type NewStep } from './step-rows';
import { startChildRun } from './sub-workflow';
import type { Transition } from './transition-context';
import { NeedsLock } from './transition-write';
import { configOf, typesOfKind, type NodeConfig, type NodeTypeOfKind } from '@weft/workflow-schema';

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
      if (isControlType(node.type)) {
        await controlHandlers[node.type](t, base, node, budget);
      } else if (t.res.inlinePureSteps && PURE_NODE_TYPES.has(node.type)) {
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
    t.jobs.push(jobFor.executeStep(t.run.id, stepId, 0, d.delayMs));
    t.log.push('step.dispatched', { attempt: d.attempt, delayMs: d.delayMs }, d.nodeId, stepId);
  });
}

/** The kinds the orchestrator carries out itself, in the transition (the engine ends the run on `terminal`). */
const CONTROL_KINDS = ['timer', 'waiting', 'loop', 'child'] as const;
type ControlNodeType = NodeTypeOfKind<(typeof CONTROL_KINDS)[number]>;
const CONTROL_TYPES = typesOfKind(...CONTROL_KINDS); // looked up once per dispatched node: a set, built once
const isControlType = (type: string): type is ControlNodeType => CONTROL_TYPES.has(type);
type Base = { nodeId: string; nodeType: string; attempt: number };
type ControlHandler = (t: Transition, base: Base, node: CompiledNode, budget: Budget) => Promise<void>;

/**
 * One handler per control node type, checked against the catalog: a new timer, waiting, loop or
 * child type without a handler here fails the typecheck. Each reads its node's config typed.
 */
const controlHandlers = {
  delay: async (t, base, node, budget) => {
    await startTimer(t, { ...base, status: 'waiting', wakeAt: await wakeTime(t, configOf(node, 'delay'), budget), input: node.config }, 'timer.started');
  },
  wait_for_approval: async (t, base, node, budget) => {
    const config = configOf(node, 'wait_for_approval');
    const prompt = renderTemplate(config.prompt, await t.context(), budget);
    checkValue(prompt, t.limits.evaluation, `the prompt of node "${node.id}"`);
    const wakeAt = config.timeoutMs ? new Date(Date.now() + config.timeoutMs) : NEVER;
    await startTimer(t, { ...base, status: 'waiting', wakeAt, input: { prompt, timeoutMs: config.timeoutMs ?? null } }, 'approval.requested', !!config.timeoutMs);
  },
  sub_workflow: (t, base, node, budget) => startChildRun(t, base, node.config, budget),
  for_each: (t, base, node, budget) => startForEach(t, base, node, budget),
} satisfies Record<ControlNodeType, ControlHandler>;

/** A waiting step with a durable timer: a delayed job wakes the run; the sweeper is the backstop. */
async function startTimer(t: Transition, row: NewStep, event: 'timer.started' | 'approval.requested', withTimer = true) {
  const [stepId] = insertSteps(t, [row]);
  t.log.push(event, { attempt: row.attempt, wakeAt: withTimer ? row.wakeAt : null }, row.nodeId, stepId!);
  if (withTimer) {
    const delayMs = Math.max(0, row.wakeAt!.getTime() - Date.now());
    t.jobs.push(jobFor.timerFired(t.run.id, stepId!, delayMs));
  }
}

async function wakeTime(t: Transition, config: NodeConfig<'delay'>, budget: Budget): Promise<Date> {
  if (typeof config.durationMs === 'number') return new Date(Date.now() + config.durationMs);
  const until = renderTemplate(config.until, await t.context(), budget);
  const at = typeof until === 'string' || typeof until === 'number' ? new Date(until) : new Date(NaN);
  if (Number.isNaN(at.getTime())) throw new ControlError('invalid_until', `until must be an ISO-8601 time, got ${JSON.stringify(until)}`);
  return at;
}

