import { z } from 'zod';

/**
 * What started a run: `api` (POST /v1/runs), `manual` (a person, from an app), `webhook` (a
 * delivery), `schedule` (a fire), `sub_workflow` (a parent run's node). `retry` names a run
 * started to retry another; retrying in place (POST /v1/runs/:id/retry) keeps the run's trigger.
 */
export const TriggerTypeSchema = z.enum(['api', 'manual', 'webhook', 'schedule', 'sub_workflow', 'retry']);
export type TriggerType = z.infer<typeof TriggerTypeSchema>;
