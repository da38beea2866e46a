'use client';
import type { Workflow, WorkflowStats } from '@weft/workflow-schema';
import { StatusBadge } from '@weft/ui/status-badge';
import { History, Play } from 'lucide-react';
import Link from 'next/link';
import { useEffect, useState } from 'react';
import { api, errorMessage } from '../../lib/api';
import { when } from '../../lib/format';
import { EmptyState, ErrorNote } from '../EmptyState';
import { PageHeader } from '../PageHeader';
import { EnabledSwitch } from './EnabledSwitch';
import { RunNowForm } from './RunNowForm';
import { Sparkline } from './Sparkline';

const PAGE = 50;

/** The org's workflows, searched by name on the server and paged: status, last run, success rate, enable/disable, run now, versions. */
export function WorkflowList() {
  const [search, setSearch] = useState('');
  const [query, setQuery] = useState('');
  const [workflows, setWorkflows] = useState<Workflow[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [stats, setStats] = useState<Record<string, WorkflowStats>>({});
  const [error, setError] = useState<string | null>(null);
  const [running, setRunning] = useState<string | null>(null);

  useEffect(() => {
    const t = setTimeout(() => setQuery(search.trim()), 250);
    return () => clearTimeout(t);
  }, [search]);
  const load = (cursor: string | null, into: Workflow[]) =>
    api.listWorkflows({ limit: PAGE, ...(query ? { q: query } : {}), ...(cursor ? { cursor } : {}) }).then(
      (p) => {
        setWorkflows([...into, ...p.items]);
        setNext(p.nextCursor);
        if (p.items.length) api.workflowStats(p.items.map((w) => w.id)).then((s) => setStats((m) => ({ ...m, ...Object.fromEntries(s.items.map((x) => [x.workflowId, x])) })), () => undefined);
      },
      (err) => setError(errorMessage(err)),
    );
  useEffect(() => {
    void load(null, []);
    // `load` reads the query it is made with: the list is read again when the query changes.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [query]);
  const replace = (w: Workflow) => setWorkflows((list) => list?.map((x) => (x.id === w.id ? w : x)) ?? null);

  return (
    <>
      <PageHeader title="Workflows" sub="What runs your business. Build and publish them in the studio; operate them here." />
      <input className="input search" type="search" placeholder="Search workflows by name" aria-label="Search workflows" value={search} onChange={(e) => setSearch(e.target.value)} data-testid="workflow-search" />
      <ErrorNote message={error && `The workflows could not be loaded: ${error}`} />
      {workflows?.length === 0 && !query && <EmptyState title="No workflows yet">Create one in the studio (port 3000), publish it, and it shows here ready to run.</EmptyState>}
      {workflows?.length === 0 && query && <EmptyState title="No workflow matches">Try another name, or clear the search.</EmptyState>}
      {workflows && workflows.length > 0 && (
        <table className="table" data-testid="workflow-table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Version</th>
              <th scope="col">Last run</th>
              <th scope="col">Success, 14 days</th>
              <th scope="col">Enabled</th>
              <th scope="col"><span className="sr-only">Actions</span></th>
            </tr>
          </thead>
          <tbody>
            {workflows.map((w) => {
              const s = stats[w.id];
              return (
                <tr key={w.id} data-testid="workflow-row" data-workflow-id={w.id}>
                  <td>
                    <Link href={`/runs?workflowId=${w.id}`}><strong>{w.name}</strong></Link>
                    {w.description && <div className="muted small">{w.description}</div>}
                    {w.tags.length > 0 && <div className="tags">{w.tags.map((t) => <span key={t} className="badge">{t}</span>)}</div>}
                    {running === w.id && <RunNowForm workflow={w} onClose={() => setRunning(null)} />}
                  </td>
                  <td>{w.latestVersion === null ? <span className="muted">draft only</span> : `v${w.latestVersion}`}</td>
                  <td>{s === undefined ? '…' : s.lastRun ? <Link href={`/runs/${s.lastRun.id}`}><StatusBadge status={s.lastRun.status} /> {when(s.lastRun.createdAt)}</Link> : <span className="muted">never</span>}</td>
                  <td>{s ? <Sparkline daily={s.daily} /> : '…'}</td>
                  <td><EnabledSwitch workflow={w} onChange={replace} /></td>
                  <td className="row-buttons">
                    <button type="button" className="btn btn-sm" disabled={w.latestVersion === null || !w.enabled} title={w.latestVersion === null ? 'Publish it in the studio first' : !w.enabled ? 'Enable it first' : undefined}
                      onClick={() => setRunning(running === w.id ? null : w.id)} data-testid="run-now">
                      <Play size={12} aria-hidden /> Run now
                    </button>
                    <Link className="btn btn-sm" href={`/workflows/${w.id}`} data-testid="versions-link">
                      <History size={12} aria-hidden /> Versions
                    </Link>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {next && (
        <button type="button" className="btn load-more" onClick={() => void load(next, workflows ?? [])} data-testid="load-more">
          Load more
        </button>
      )}
    </>
  );
}
