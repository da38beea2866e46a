import type { Run, RunEvent, RunLog, RunStep } from '@weft/db';
import { actorOf } from '../../auth/api-keys';
import { isOfKind, type RunStatus, type StepError, type StepStatus, type TriggerType } from '@weft/workflow-schema';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export const runSummaryView = (r: Run) => ({
  id: r.id,
  workflowId: r.workflowId,
  workflowVersionId: r.workflowVersionId,
  status: r.status as RunStatus,
  inputs: r.inputs,
  output: r.output ?? null,
  error: r.error ?? null,
  parentRunId: r.parentRunId,
  createdBy: actorOf(r.createdBy ?? null),
  triggerType: r.triggerType as TriggerType,
  triggerId: r.triggerId,
  test: r.test,
  createdAt: r.createdAt.toISOString(),
  startedAt: iso(r.startedAt),
  finishedAt: iso(r.finishedAt),
});

export const stepView = (s: RunStep) => ({
  id: s.id,
  nodeId: s.nodeId,
  status: s.status as StepStatus,
  attempt: s.attempt,
  startedAt: iso(s.startedAt),
  finishedAt: iso(s.finishedAt),
  durationMs: s.startedAt && s.finishedAt ? s.finishedAt.getTime() - s.startedAt.getTime() : null,
  queuedAt: iso(s.createdAt),
  availableAt: iso(s.availableAt),
  output: s.output ?? null,
  error: (s.error as StepError | null) ?? null,
  input: s.input ?? null,
  handle: s.handle,
  ...(isOfKind(s.nodeType, 'loop') || s.itemsTotal > 0 ? { items: { total: s.itemsTotal, started: s.itemsStarted, done: s.itemsDone, failed: s.itemsFailed } } : {}),
});

/** One iteration run of a for_each step, as GET /v1/runs/:id/steps/:stepId/iterations lists it. */
export const iterationView = (r: Run) => ({
  runId: r.id,
  index: r.itemIndex ?? 0,
  status: r.status as RunStatus,
  error: r.error ?? null,
  startedAt: iso(r.startedAt),
  finishedAt: iso(r.finishedAt),
});

/** `stepsTotal` counts every step of the run; `steps` may be the first of them only (the cap). */
export const runView = (r: Run, steps: RunStep[], logs: RunLog[], stepsTotal: number) => ({
  ...runSummaryView(r),
  steps: steps.map(stepView),
  stepsTotal,
  stepsNextCursor: stepsTotal > steps.length && steps.length > 0 ? steps[steps.length - 1]!.id : null,
  logs: logs.map(logView),
  traceId: traceIdOf(r.traceParent),
  dataPurgedAt: iso(r.dataPurgedAt),
});

/** The trace id inside a W3C traceparent (`00-<trace id>-<span id>-<flags>`). */
const traceIdOf = (traceparent: string | null) => (traceparent ? (traceparent.split('-')[1] ?? null) : null);

export const eventView = (e: RunEvent) => ({
  seq: e.seq,
  type: e.type,
  nodeId: e.nodeId,
  stepId: e.stepId,
  data: e.data,
  createdAt: e.createdAt.toISOString(),
});

export const logView = (l: RunLog) => ({ ts: l.ts.toISOString(), level: l.level, msg: l.msg, stepId: l.stepId, nodeId: l.nodeId });
