import { AdvanceRunJobSchema, ExecuteStepJobSchema } from '@weft/workflow-schema';
import type { z } from 'zod';

export const QUEUES = {
  /** Steps to execute; consumed by executors. */
  executor: 'executor',
  /** Runs to advance; consumed by orchestrators. */
  orchestrator: 'orchestrator',
} as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

/**
 * Every job Weft enqueues: its queue and payload schema. A consumer handles every job of its
 * queue, and payloads are `z.infer` of these schemas (ids only, never data or secrets).
 */
export const JOBS = {
  'execute-step': { queue: QUEUES.executor, schema: ExecuteStepJobSchema },
  'advance-run': { queue: QUEUES.orchestrator, schema: AdvanceRunJobSchema },
} as const satisfies Record<string, { queue: QueueName; schema: z.ZodType }>;

export type JobName = keyof typeof JOBS;
export type JobPayload<N extends JobName> = z.infer<(typeof JOBS)[N]['schema']>;

/** A job to publish, as stored in the outbox. jobId makes re-publication idempotent. */
export interface JobEnvelope<N extends JobName = JobName> {
  name: N;
  jobId: string;
  payload: JobPayload<N>;
  delayMs?: number;
}

/** Deterministic job ids; BullMQ ignores an add whose id already exists. */
const SETTLED_PREFIX = 'settled.';

export const jobIds = {
  executeStep: (stepId: string, fence: number) => `step.${stepId}.${fence}`,
  startRun: (runId: string) => `run.${runId}.start`,
  stepSettled: (stepId: string, status: string) => `${SETTLED_PREFIX}${stepId}.${status}`,
  cancelRun: (runId: string) => `run.${runId}.cancel`,
};

/** Whether a job id is a settled step's (`jobIds.stepSettled`). */
export const isStepSettledJob = (jobId: string | undefined): boolean => jobId?.startsWith(SETTLED_PREFIX) ?? false;
