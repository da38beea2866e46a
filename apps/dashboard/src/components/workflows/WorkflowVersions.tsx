'use client';
import type { Workflow } from '@weft/workflow-schema';
import { VersionHistory } from '@weft/ui/version-history';
import Link from 'next/link';
import { useEffect, useState } from 'react';
import { api, errorMessage } from '../../lib/api';
import { ErrorNote } from '../EmptyState';
import { PageHeader } from '../PageHeader';
import { WorkflowAlerts } from './WorkflowAlerts';

/** One workflow's versions: who published each and when, the diff between any two, roll back. */
export function WorkflowVersions({ id }: { id: string }) {
  const [workflow, setWorkflow] = useState<Workflow | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);
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
      {workflow && (
        <section className="card">
          <VersionHistory client={api} workflowId={id} onRolledBack={(v) => setNote(`Published version ${v.version} (a copy of an older one).`)} />
        </section>
      )}
      {workflow && <WorkflowAlerts workflowId={id} />}
    </>
  );
}
