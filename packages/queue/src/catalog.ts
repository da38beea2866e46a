import { AdvanceRunJobSchema, ChildSettledJobSchema, DeliverAlertJobSchema, NotifyApprovalJobSchema, ExecuteStepJobSchema, RunWakeJobSchema, StepWakeJobSchema } from '@weft/workflow-schema';
import type { z } from 'zod';

export const QUEUES = {
  /** Steps to execute; consumed by executors. */
  executor: 'executor',
  /** Runs to advance; consumed by orchestrators. */
  orchestrator: 'orchestrator',
  /** Alert evaluations and deliveries (docs/operating/alerts.md); consumed by executors. */
  alerts: 'alerts',
} as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

/**
 * Every job Weft enqueues: its queue and payload schema. A consumer handles every job of its
 * queue, and payloads are `z.infer` of these schemas (ids only, never data or secrets).
 *
 * The orchestrator's jobs are named for their reason to wake a run. Whatever the reason, the
 * orchestrator does the same thing (fold in everything new about the run: the run row is the
 * truth, a job is only a wake-up); the name says why in the queue, the logs and the metrics, and
 * `start-run` / `step-settled` may try the unlocked transition first.
 */
export const JOBS = {
  'execute-step': { queue: QUEUES.executor, schema: ExecuteStepJobSchema },
  /** A run was created (API, webhook, schedule, sub-workflow, loop iteration). */
  'start-run': { queue: QUEUES.orchestrator, schema: RunWakeJobSchema },
  /** A step ended (executor, lost-worker cap, deadline sweep) or an inline result was left for the next transition. */
  'step-settled': { queue: QUEUES.orchestrator, schema: StepWakeJobSchema },
  /** A waiting step's timer is due (a delay's end, an approval's timeout). */
  'timer-fired': { queue: QUEUES.orchestrator, schema: StepWakeJobSchema },
  /** Somebody approved or rejected a waiting approval. */
  'approval-resolved': { queue: QUEUES.orchestrator, schema: StepWakeJobSchema },
  /** A child run (sub-workflow, for_each iteration) ended: its parent's step moves on. */
  'child-settled': { queue: QUEUES.orchestrator, schema: ChildSettledJobSchema },
  'cancel-requested': { queue: QUEUES.orchestrator, schema: RunWakeJobSchema },
  'retry-requested': { queue: QUEUES.orchestrator, schema: RunWakeJobSchema },
  /** The sweeper's backstop: a timer or a run deadline is past due and its delayed job did not come. */
  sweep: { queue: QUEUES.orchestrator, schema: RunWakeJobSchema },
  /** The reconciler found a run idle with something to fold in (its job was lost from Redis). */
  reconcile: { queue: QUEUES.orchestrator, schema: RunWakeJobSchema },
  /** @deprecated Jobs queued by versions before the named reasons (still in an outbox or a queue at upgrade). */
  'advance-run': { queue: QUEUES.orchestrator, schema: AdvanceRunJobSchema },
  /**
   * A run of a workflow with alert rules ended (succeeded or failed): evaluate its rules. Written
   * to the outbox by a trigger on `runs`, in the transaction that ends the run (migration
   * 20261213000600_alerts), so every path that ends a run queues it.
   */
  'evaluate-alerts': { queue: QUEUES.alerts, schema: RunWakeJobSchema },
  /** Send one alert (an incident opened or resolved, or a test); retried with backoff. */
  'deliver-alert': { queue: QUEUES.alerts, schema: DeliverAlertJobSchema },
  /**
   * A run reached an approval node with `notify`: email/post its approve/reject links. Written to
   * the outbox in the transition that makes the step wait (docs/approvals.md); retried with backoff.
   */
  'notify-approval': { queue: QUEUES.alerts, schema: NotifyApprovalJobSchema },
} as const satisfies Record<string, { queue: QueueName; schema: z.ZodType }>;

export type JobName = keyof typeof JOBS;
export type JobPayload<N extends JobName> = z.infer<(typeof JOBS)[N]['schema']>;
/** The jobs that wake a run (the orchestrator's queue). */
export type WakeReason = { [K in JobName]: (typeof JOBS)[K]['queue'] extends typeof QUEUES.orchestrator ? K : never }[JobName];

/** A job to publish, as stored in the outbox. jobId makes re-publication idempotent. */
export interface JobEnvelope<N extends JobName = JobName> {
  name: N;
  jobId: string;
  payload: JobPayload<N>;
  delayMs?: number;
}

const envelope = <N extends JobName>(name: N, jobId: string, payload: JobPayload<N>, delayMs?: number): JobEnvelope<N> =>
  delayMs ? { name, jobId, payload, delayMs } : { name, jobId, payload };

/**
 * Every job Weft publishes is built here, with its deterministic id: BullMQ ignores an add whose
 * id already exists, so the same wake-up published twice (eager publish and outbox relay, two
 * sweepers) is one job. Nothing else spells a job id.
 */
export const jobFor = {
  /** The delivery of a step at its current fence (`0` from the dispatch; each re-queue adds one). */
  executeStep: (runId: string, stepId: string, fence: number, delayMs?: number) => envelope('execute-step', `step.${stepId}.${fence}`, { stepId, runId }, delayMs),
  startRun: (runId: string) => envelope('start-run', `run.${runId}.start`, { runId }),
  stepSettled: (runId: string, stepId: string, status: 'succeeded' | 'failed') => envelope('step-settled', `settled.${stepId}.${status}`, { runId, stepId }),
  timerFired: (runId: string, stepId: string, delayMs: number) => envelope('timer-fired', `timer.${stepId}`, { runId, stepId }, delayMs),
  /** One per step: an approval is resolved once. */
  approvalResolved: (runId: string, stepId: string) => envelope('approval-resolved', `resume.${stepId}`, { runId, stepId }),
  /** One per end of a child run (`seq`: the child's event sequence at its end, which a reopened and ended again child changes). */
  childSettled: (parentRunId: string, childRunId: string, seq: number) => envelope('child-settled', `child.${childRunId}.${seq}`, { runId: parentRunId, childRunId }),
  cancelRequested: (runId: string) => envelope('cancel-requested', `run.${runId}.cancel`, { runId }),
  /** One per request (`requestId`): a run may be retried again after it failed again. */
  retryRequested: (runId: string, requestId: string) => envelope('retry-requested', `retry.${runId}.${requestId}`, { runId }),
  /** One per run per `window` (the reconcile period), the same in every orchestrator. */
  sweep: (runId: string, window: number) => envelope('sweep', `sweep${window}.${runId}`, { runId }),
  reconcile: (runId: string, window: number) => envelope('reconcile', `reconcile.${runId}.${window}`, { runId }),
  /** One per delivery row: a delivery is sent once (its retries are the job's attempts). */
  deliverAlert: (deliveryId: string) => envelope('deliver-alert', `alert.${deliveryId}`, { deliveryId }),
  /** One per waiting approval step: its recipients are told once (each recipient's message is a row). */
  notifyApproval: (runId: string, stepId: string) => envelope('notify-approval', `approval-notify.${stepId}`, { runId, stepId }),
};

/** Wake-ups that may take the unlocked transition first (a hint: the run row decides). */
export const UNLOCKED_FIRST: ReadonlySet<string> = new Set<WakeReason>(['start-run', 'step-settled']);
