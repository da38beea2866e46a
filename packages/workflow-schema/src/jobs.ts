import { z } from 'zod';

/**
 * Queue payloads carry ids only: never configs, inputs, outputs or secrets (BullMQ keeps job
 * data in clear text in Redis). Everything else is loaded from Postgres by the consumer.
 */
const id = z.string().uuid();

/** An executor's job: run one step (its row says which attempt and fence). */
export const ExecuteStepJobSchema = z.object({ stepId: id, runId: id });
export type ExecuteStepJob = z.infer<typeof ExecuteStepJobSchema>;

/** A wake-up of a run with nothing more to say than which run (start, cancel, retry, sweep, reconcile). */
export const RunWakeJobSchema = z.object({ runId: id });
export type RunWakeJob = z.infer<typeof RunWakeJobSchema>;

/** A wake-up of a run because one of its steps changed (settled, timer due, approval resolved). */
export const StepWakeJobSchema = z.object({ runId: id, stepId: id });
export type StepWakeJob = z.infer<typeof StepWakeJobSchema>;

/** A wake-up of a parent run because one of its child runs (sub-workflow, loop iteration) ended. */
export const ChildSettledJobSchema = z.object({ runId: id, childRunId: id });
export type ChildSettledJob = z.infer<typeof ChildSettledJobSchema>;

/** @deprecated The one wake-up name before the reasons were named; still consumed (jobs queued by an older version). */
export const AdvanceRunJobSchema = RunWakeJobSchema;
export type AdvanceRunJob = RunWakeJob;

/** Deliver one alert (`alert_deliveries` row): the channel, its secret and the message are read from Postgres. */
export const DeliverAlertJobSchema = z.object({ deliveryId: id });
export type DeliverAlertJob = z.infer<typeof DeliverAlertJobSchema>;

/** Tell the recipients of a waiting approval (`notify`): links are made and messages sent from Postgres. */
export const NotifyApprovalJobSchema = z.object({ runId: id, stepId: id });
export type NotifyApprovalJob = z.infer<typeof NotifyApprovalJobSchema>;
