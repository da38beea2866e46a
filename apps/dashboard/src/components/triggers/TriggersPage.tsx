'use client';
import { useWorkflows } from '../../lib/use-workflows';
import { PageHeader } from '../PageHeader';
import { ScheduleList } from './ScheduleList';
import { WebhookList } from './WebhookList';

/** The org's webhooks or schedules, every workflow's (each workflow's page lists its own). */
export function TriggersPage({ kind }: { kind: 'webhooks' | 'schedules' }) {
  const { workflows } = useWorkflows();
  return kind === 'webhooks' ? (
    <>
      <PageHeader title="Webhooks" sub="Signed URLs that start a workflow for each delivery; the delivery log, replay and test events." />
      <WebhookList workflows={workflows} />
    </>
  ) : (
    <>
      <PageHeader title="Schedules" sub="Cron expressions in a time zone that start a workflow, exactly once per time." />
      <ScheduleList workflows={workflows} />
    </>
  );
}
