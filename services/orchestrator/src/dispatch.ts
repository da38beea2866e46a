import { newId } from '@weft/db';
import { PURE_NODE_TYPES, evaluate, evaluatePureNode, isPureGraph, renderTemplate, runPureGraph } from '@weft/engine';
import { jobIds } from '@weft/queue';
import { ControlError, toError } from './control-error';
import { startLoop } from './loops';
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
 * A control node that cannot start (bad template, unknown workflow) is inserted `failed`, and
 * the transition loop feeds that failure to the engine.
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
    try {
      switch (node.type) {
        case 'delay':
          await startTimer(t, { ...base, status: 'waiting', wakeAt: await wakeTime(t, node.config), input: node.config });
          break;
        case 'wait_for_approval': {
          const prompt = renderTemplate(node.config.prompt, await t.context());
          const timeoutMs = node.config.timeoutMs as number | undefined;
          const wakeAt = timeoutMs ? new Date(Date.now() + timeoutMs) : NEVER;
          await startTimer(t, { ...base, status: 'waiting', wakeAt, input: { prompt, timeoutMs: timeoutMs ?? null } }, !!timeoutMs);
          break;
        }
        case 'sub_workflow':
          await startChildRun(t, base, node.config);
          break;
        case 'for_each': {
          const items = evaluate(String(node.config.items), await t.context());
          if (!Array.isArray(items)) throw new ControlError('invalid_items', `items must evaluate to an array, got ${items === null ? 'null' : typeof items}`);
          const bodyPath = t.run.body_path ? `${t.run.body_path}/${node.id}` : node.id;
          const body = await t.res.graphs.get(t.run.workflow_version_id, bodyPath, t.c);
          if (t.res.inlinePureSteps && isPureGraph(body)) await runPureLoop(t, base, items, body);
          else await startLoop(t, base, items, Number(node.config.concurrency ?? 10));
          break;
        }
        default:
          if (t.res.inlinePureSteps && PURE_NODE_TYPES.has(node.type)) {
            const r = evaluatePureNode(node, await t.context());
            const stepId = newId();
            inline.push({ ...base, id: stepId, status: 'succeeded', applied: true, output: r.output, handle: r.handle ?? null });
            t.log.push('step.dispatched', { attempt: d.attempt, delayMs: 0, inline: true }, d.nodeId, stepId);
            const event = { type: 'step.succeeded', nodeId: d.nodeId, attempt: d.attempt, ...(r.handle ? { handle: r.handle } : {}) } as const;
            t.settleInline({ stepId, nodeId: d.nodeId, output: r.output, event });
          } else {
            plain.push({ d, row: { ...base, status: 'queued', delayMs: d.delayMs, timeoutMs: node.timeoutMs ?? null } });
          }
      }
    } catch (err) {
      if (err instanceof NeedsLock) throw err; // an unlocked transition cannot go on: not the node's failure
      insertSteps(t, [{ ...base, status: 'failed', error: toError(err) }]);
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

/**
 * A for_each whose body is made only of pure nodes runs every item in place, through the same
 * engine, in item order: no iteration runs, no queue hops. The first failing item fails the node.
 */
async function runPureLoop(t: Transition, base: { nodeId: string; nodeType: string; attempt: number }, items: unknown[], body: Parameters<typeof runPureGraph>[0]) {
  const results: unknown[] = new Array(items.length);
  const run = { id: t.run.id, workflowId: t.run.workflow_id };
  for (let index = 0; index < items.length; index++) {
    const r = runPureGraph(body, { item: items[index], index }, run, true);
    if (r.status === 'failed') {
      const error = { code: 'item_failed', message: `item ${index} failed: ${r.error.message}`, retryable: false, details: { index, nodeId: r.error.nodeId } };
      insertSteps(t, [{ ...base, status: 'failed', error, input: { count: items.length, inPlace: true } }]);
      return;
    }
    results[index] = r.output ?? null;
  }
  const [stepId] = insertSteps(t, [{ ...base, status: 'succeeded', output: results, itemsTotal: items.length, input: { count: items.length, inPlace: true } }]);
  t.log.push('loop.completed', { attempt: base.attempt, count: items.length, inPlace: true }, base.nodeId, stepId!);
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

async function wakeTime(t: Transition, config: Record<string, unknown>): Promise<Date> {
  if (typeof config.durationMs === 'number') return new Date(Date.now() + config.durationMs);
  const until = renderTemplate(config.until, await t.context());
  const at = typeof until === 'string' || typeof until === 'number' ? new Date(until) : new Date(NaN);
  if (Number.isNaN(at.getTime())) throw new ControlError('invalid_until', `until must be an ISO-8601 time, got ${JSON.stringify(until)}`);
  return at;
}

