import type { Schedule, ScheduleFire } from '@weft/db';
import { CronSchedule } from '@weft/schedule';
import { SCHEDULE_NEXT_RUNS, type Schedule as ScheduleView } from '@weft/workflow-schema';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** A schedule as the API shows it, with its next fire times (none while disabled). */
export function scheduleView(s: Schedule, now = new Date()): ScheduleView {
  const from = s.nextRunAt && s.nextRunAt > now ? new Date(s.nextRunAt.getTime() - 1) : now;
  return {
    id: s.id,
    workflowId: s.workflowId,
    cron: s.cron,
    timezone: s.timezone,
    inputs: s.inputs as Record<string, unknown>,
    overlap: s.overlap as ScheduleView['overlap'],
    catchup: s.catchup as ScheduleView['catchup'],
    enabled: s.enabled,
    nextRuns: s.enabled ? new CronSchedule(s.cron, s.timezone).next(SCHEDULE_NEXT_RUNS, from).map((d) => d.toISOString()) : [],
    nextRunAt: iso(s.nextRunAt),
    lastRunAt: iso(s.lastRunAt),
    createdAt: s.createdAt.toISOString(),
    updatedAt: s.updatedAt.toISOString(),
  };
}

export const fireView = (f: ScheduleFire) => ({
  id: f.id,
  nominalTime: f.nominalTime.toISOString(),
  outcome: f.outcome as 'started' | 'skipped' | 'buffered',
  reason: f.reason,
  runId: f.runId,
  createdAt: f.createdAt.toISOString(),
});
