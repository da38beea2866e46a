import type { StepRow } from '@weft/run-store';
import type { StepError } from '@weft/workflow-schema';
import type { Decision } from './decision';

export interface NewStep {
  /** Given when the caller records an event for the step before the rows are added (batched rows). */
  id?: string;
  nodeId: string;
  nodeType: string;
  attempt: number;
  status: 'queued' | 'waiting' | 'running' | 'skipped' | 'succeeded' | 'failed';
  /** Terminal rows that the engine already knows about (or gets in this decision) are written applied. */
  applied?: boolean;
  delayMs?: number;
  /** For waiting steps: when the timer fires (delay end, approval timeout). */
  wakeAt?: Date;
  timeoutMs?: number | null;
  input?: unknown;
  output?: unknown;
  /** The output already serialized (checked against the value limits by the caller): written as it is. */
  outputJson?: string;
  error?: unknown;
  handle?: string | null;
  itemsTotal?: number;
}

/** Adds step rows to the decision's final write (one statement for all of them); returns them in order. */
export function addSteps(d: Decision, steps: readonly NewStep[]): StepRow[] {
  if (steps.length === 0) return [];
  const now = d.env.now;
  const rows = steps.map((s): StepRow => {
    const terminal = s.status === 'skipped' || s.status === 'succeeded' || s.status === 'failed';
    return {
      id: s.id ?? d.env.newId(),
      nodeId: s.nodeId,
      nodeType: s.nodeType,
      attempt: s.attempt,
      status: s.status,
      applied: s.applied ?? false,
      availableAt: s.wakeAt ?? new Date(now + (s.delayMs ?? 0)),
      startedAt: s.status === 'queued' || s.status === 'skipped' ? null : new Date(now),
      finishedAt: terminal ? new Date(now) : null,
      timeoutMs: s.timeoutMs ?? null,
      input: json(s.input),
      output: s.outputJson ?? json(s.output),
      error: json(s.error),
      handle: s.handle ?? null,
      itemsTotal: s.itemsTotal ?? 0,
    };
  });
  d.steps.push(...rows);
  return rows;
}

/**
 * Adds one step row that ended in this decision (written applied) and hands its result to the
 * engine next round: `output` is what the run context sees of it (its row's output may be
 * serialized already), `handle` the path it took.
 */
export function settleNewStep(d: Decision, step: NewStep & { status: 'succeeded' | 'failed' }, output: unknown = null, handle?: string): StepRow {
  const [row] = addSteps(d, [{ ...step, applied: true }]);
  const base = { nodeId: step.nodeId, attempt: step.attempt };
  d.settleInline({
    stepId: row!.id,
    nodeId: step.nodeId,
    output,
    event:
      step.status === 'succeeded'
        ? { type: 'step.succeeded', ...base, ...(handle ? { handle } : {}) }
        : { type: 'step.failed', ...base, error: step.error as StepError, random: d.env.random() },
  });
  return row!;
}

const json = (v: unknown) => (v === undefined ? null : JSON.stringify(v));
