import { evaluate, renderTemplate } from '@weft/engine';
import { jobIds } from '@weft/queue';
import { ControlError, toError } from './control-error';
import { startLoop } from './loops';
import { insertSteps, type NewStep } from './step-rows';
import { startChildRun } from './sub-workflow';
import type { Transition } from './transition-context';

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
          await startLoop(t, base, items, Number(node.config.concurrency ?? 10));
          break;
        }
        default:
          plain.push({ d, row: { ...base, status: 'queued', delayMs: d.delayMs, timeoutMs: node.timeoutMs ?? null } });
      }
    } catch (err) {
      await insertSteps(t, [{ ...base, status: 'failed', error: toError(err) }]);
    }
  }
  const ids = await insertSteps(t, plain.map((p) => p.row));
  plain.forEach(({ d }, i) => {
    const stepId = ids[i]!;
    t.jobs.push({ name: 'execute-step', jobId: jobIds.executeStep(stepId, 0), payload: { stepId, runId: t.run.id }, delayMs: d.delayMs });
    t.log.push('step.dispatched', { attempt: d.attempt, delayMs: d.delayMs }, d.nodeId, stepId);
  });
}

/** A waiting step with a durable timer: a delayed job wakes the run; the sweeper is the backstop. */
async function startTimer(t: Transition, row: NewStep, withTimer = true) {
  const [stepId] = await insertSteps(t, [row]);
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

