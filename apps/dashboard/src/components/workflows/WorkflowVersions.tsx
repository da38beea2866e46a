'use client';
import type { Workflow } from '@weft/workflow-schema';
import { VersionHistory } from '@weft/ui/version-history';
import Link from 'next/link';
import { useEffect, useState } from 'react';
import { api, errorMessage } from '../../lib/api';
import { ErrorNote } from '../EmptyState';
import { PageHeader } from '../PageHeader';
import { ScheduleList } from '../triggers/ScheduleList';
import { WebhookList } from '../triggers/WebhookList';
import { TemplateUpgrade } from './TemplateUpgrade';
import { WorkflowAlerts } from './WorkflowAlerts';

/** One workflow's versions (who published each and when, the diff between any two, roll back), its webhooks and schedules. */
export function WorkflowVersions({ id }: { id: string }) {
  const [workflow, setWorkflow] = useState<Workflow | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [historyKey, setHistoryKey] = useState(0);
  useEffect(() => {
    api.getWorkflow(id).then(setWorkflow, (err) => setError(errorMessage(err)));
  }, [id]);
  return (
    <>
      <PageHeader title={workflow ? workflow.name : 'Workflow'} sub="Versions are immutable: rolling back publishes an older one again, as a new version.">
        <Link className="btn" href={`/runs?workflowId=${id}`}>Its runs</Link>
      </PageHeader>
      <ErrorNote message={error && `The workflow could not be loaded: ${error}`} />
      {note && <p className="muted" role="status" data-testid="rollback-note">{note}</p>}
      {workflow && <TemplateUpgrade workflowId={id} onUpgraded={() => setHistoryKey((k) => k + 1)} />}
      {workflow && (
        <section className="card">
          <VersionHistory key={historyKey} client={api} workflowId={id} onRolledBack={(v) => setNote(`Published version ${v.version} (a copy of an older one).`)} />
        </section>
      )}
      {workflow && (
        <section aria-labelledby="wf-webhooks" data-testid="workflow-webhooks">
          <h2 id="wf-webhooks" className="section-title">Webhooks</h2>
          <WebhookList workflows={[workflow]} workflowId={id} />
        </section>
      )}
      {workflow && (
        <section aria-labelledby="wf-schedules" data-testid="workflow-schedules">
          <h2 id="wf-schedules" className="section-title">Schedules</h2>
          <ScheduleList workflows={[workflow]} workflowId={id} />
        </section>
      )}
      {workflow && <WorkflowAlerts workflowId={id} />}
    </>
  );
}
