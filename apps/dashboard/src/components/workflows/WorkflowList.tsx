'use client';
import type { RunSummary } from '@weft/workflow-schema';
import { StatusBadge } from '@weft/ui/status-badge';
import { Play } from 'lucide-react';
import Link from 'next/link';
import { useEffect, useState } from 'react';
import { api } from '../../lib/api';
import { when } from '../../lib/format';
import { usePage } from '../../lib/use-page';
import { EmptyState, ErrorNote } from '../EmptyState';
import { PageHeader } from '../PageHeader';
import { RunNowForm } from './RunNowForm';

/** The org's workflows (the API's first 200), searched by name here, each with its last run and Run now. */
export function WorkflowList() {
  const { items: workflows, error } = usePage(() => api.listWorkflows({ limit: 200 }));
  const [lastRuns, setLastRuns] = useState<Record<string, RunSummary | null>>({});
  const [search, setSearch] = useState('');
  const [running, setRunning] = useState<string | null>(null);
  const shown = (workflows ?? []).filter((w) => w.name.toLowerCase().includes(search.trim().toLowerCase())).slice(0, 50);
  const ids = shown.map((w) => w.id).join(',');
  useEffect(() => {
    for (const id of ids ? ids.split(',') : []) {
      if (id in lastRuns) continue;
      api.listRuns({ workflowId: id, limit: 1 }).then((p) => setLastRuns((m) => ({ ...m, [id]: p.items[0] ?? null })), () => undefined);
    }
  }, [ids, lastRuns]);
  return (
    <>
      <PageHeader title="Workflows" sub="What runs your business. Build and publish them in the studio; operate them here." />
      <input className="input search" type="search" placeholder="Search workflows by name" aria-label="Search workflows" value={search} onChange={(e) => setSearch(e.target.value)} data-testid="workflow-search" />
      <ErrorNote message={error && `The workflows could not be loaded: ${error}`} />
      {workflows?.length === 0 && (
        <EmptyState title="No workflows yet">Create one in the studio (port 3000), publish it, and it shows here ready to run.</EmptyState>
      )}
      {workflows && workflows.length > 0 && shown.length === 0 && <EmptyState title="No workflow matches">Try another name, or clear the search.</EmptyState>}
      {shown.length > 0 && (
        <table className="table" data-testid="workflow-table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Version</th>
              <th scope="col">Last run</th>
              <th scope="col">Enabled</th>
              <th scope="col"><span className="sr-only">Actions</span></th>
            </tr>
          </thead>
          <tbody>
            {shown.map((w) => {
              const last = lastRuns[w.id];
              return (
                <tr key={w.id} data-testid="workflow-row">
                  <td>
                    <Link href={`/runs?workflowId=${w.id}`}><strong>{w.name}</strong></Link>
                    {w.description && <div className="muted small">{w.description}</div>}
                    {running === w.id && <RunNowForm workflow={w} onClose={() => setRunning(null)} />}
                  </td>
                  <td>{w.latestVersion === null ? <span className="muted">draft only</span> : `v${w.latestVersion}`}</td>
                  <td>{last ? <Link href={`/runs/${last.id}`}><StatusBadge status={last.status} /> {when(last.createdAt)}</Link> : last === null ? <span className="muted">never</span> : '…'}</td>
                  <td><span className="badge" title="Enable/disable is planned: the API has no switch yet">planned</span></td>
                  <td>
                    <button type="button" className="btn btn-sm" disabled={w.latestVersion === null} title={w.latestVersion === null ? 'Publish it in the studio first' : undefined}
                      onClick={() => setRunning(running === w.id ? null : w.id)} data-testid="run-now">
                      <Play size={12} aria-hidden /> Run now
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </>
  );
}
