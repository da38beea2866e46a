'use client';
import type { RunSummary } from '@weft/workflow-schema';
import { StatusBadge } from '@weft/ui/status-badge';
import { GitCompare, RotateCcw, Square } from 'lucide-react';
import Link from 'next/link';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useCallback, useEffect, useMemo, useState, type KeyboardEvent } from 'react';
import { api, errorMessage } from '../../lib/api';
import { CANCELLABLE, RETRYABLE, bulk } from '../../lib/bulk';
import { between, errorText, shortId, when } from '../../lib/format';
import { filtersToQuery, filtersToSearch, parseFilters, type RunFilters } from '../../lib/run-filters';
import { formatDuration } from '../../lib/run-steps';
import { useWorkflows } from '../../lib/use-workflows';
import { EmptyState, ErrorNote } from '../EmptyState';
import { PageHeader } from '../PageHeader';
import { BulkMatching } from './BulkMatching';
import { RunFilterBar } from './RunFilterBar';

const PAGE = 50;

/**
 * Keyboard use of the run table: ↓/j and ↑/k move between rows, Enter (the focused row's link)
 * opens the run, x or Space selects it, Home/End jump to the first/last row.
 */
function onTableKey(e: KeyboardEvent<HTMLTableSectionElement>, toggle: (id: string) => void) {
  const rows = [...e.currentTarget.querySelectorAll<HTMLTableRowElement>('tr[data-id]')];
  const row = (e.target as HTMLElement).closest<HTMLTableRowElement>('tr[data-id]');
  if (!row || !rows.length) return;
  const i = rows.indexOf(row);
  const go = (j: number) => rows[Math.max(0, Math.min(rows.length - 1, j))]!.focus();
  const keys: Record<string, () => void> = {
    ArrowDown: () => go(i + 1), j: () => go(i + 1), ArrowUp: () => go(i - 1), k: () => go(i - 1),
    Home: () => go(0), End: () => go(rows.length - 1),
    Enter: () => row.querySelector<HTMLAnchorElement>('a')?.click(),
    x: () => toggle(row.dataset.id!),
    ' ': () => toggle(row.dataset.id!),
  };
  // Controls inside the row (the checkbox, the link) keep their own keys, except the arrows.
  if ((e.target as HTMLElement) !== row && !['ArrowDown', 'ArrowUp', 'j', 'k'].includes(e.key)) return;
  const fn = keys[e.key];
  if (fn) {
    e.preventDefault();
    fn();
  }
}

/** Every run of the org, newest first, filtered from the URL, 50 at a time; bulk retry and cancel. */
export function RunList() {
  const params = useSearchParams();
  const router = useRouter();
  const path = usePathname();
  const filters = useMemo(() => parseFilters(new URLSearchParams(params.toString())), [params]);
  const { workflows, nameOf } = useWorkflows();
  const [runs, setRuns] = useState<RunSummary[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [busy, setBusy] = useState(false);

  const load = useCallback(
    async (cursor?: string) => {
      try {
        const page = await api.listRuns({ ...filtersToQuery(filters, new Date()), limit: PAGE, ...(cursor && { cursor }) });
        setRuns((prev) => (cursor && prev ? [...prev, ...page.items] : page.items));
        setNext(page.nextCursor);
        setError(null);
      } catch (err) {
        setError(`The runs could not be loaded: ${errorMessage(err)}`);
      }
    },
    [filters],
  );
  useEffect(() => {
    setRuns(null);
    setSelected(new Set());
    void load();
  }, [load]);

  const change = (f: RunFilters) => router.replace(`${path}${filtersToSearch(f)}`);
  const chosen = (runs ?? []).filter((r) => selected.has(r.id));
  const act = async (verb: string, ids: string[], fn: (id: string) => Promise<unknown>) => {
    setBusy(true);
    setNotice(await bulk(ids, verb, fn));
    setSelected(new Set());
    await load();
    setBusy(false);
  };
  const toggle = (id: string) => setSelected((s) => (s.has(id) ? (s.delete(id), new Set(s)) : new Set(s.add(id))));
  const allChosen = !!runs?.length && runs.every((r) => selected.has(r.id));

  return (
    <>
      <PageHeader title="Runs" sub="Every run of your workflows, newest first. Keys: ↑ ↓ (or j k) move, Enter opens, x selects.">
        <button type="button" className="btn" disabled={chosen.length !== 2} data-testid="compare-selected" title="Select exactly two runs to compare them node by node"
          onClick={() => { const [newer, older] = chosen; router.push(`/runs/compare?a=${older!.id}&b=${newer!.id}`); }}>
          <GitCompare size={14} aria-hidden /> Compare
        </button>
        <button type="button" className="btn" disabled={busy || !chosen.some((r) => RETRYABLE.has(r.status))} data-testid="bulk-retry"
          onClick={() => void act('Retried', chosen.filter((r) => RETRYABLE.has(r.status)).map((r) => r.id), (id) => api.retryRun(id))}>
          <RotateCcw size={14} aria-hidden /> Retry selected
        </button>
        <button type="button" className="btn btn-danger" disabled={busy || !chosen.some((r) => CANCELLABLE.has(r.status))} data-testid="bulk-cancel"
          onClick={() => void act('Cancelled', chosen.filter((r) => CANCELLABLE.has(r.status)).map((r) => r.id), (id) => api.cancelRun(id))}>
          <Square size={14} aria-hidden /> Cancel selected
        </button>
        {filtersToSearch(filters) && <BulkMatching filters={filters} onDone={(n) => { setNotice(n); void load(); }} />}
      </PageHeader>
      <RunFilterBar filters={filters} workflows={workflows} onChange={change} />
      <ErrorNote message={error} />
      {notice && <p className="notice" role="status" data-testid="bulk-notice">{notice}</p>}
      {runs === null && !error && <div className="skeleton" style={{ height: 200 }} aria-label="Loading runs" />}
      {runs?.length === 0 && (
        <EmptyState title="No runs match">
          {filters.q ? (
            <>No run&apos;s error message contains “{filters.q}”. Try a shorter part of the message (an HTTP status, a host, a node id), or <Link href="/runs">show every run</Link>.</>
          ) : filtersToSearch(filters) ? (
            <>Widen the filters above, or <Link href="/runs">show every run</Link>.</>
          ) : (
            <>Start one from <Link href="/workflows">Workflows</Link> (Run now), from the studio, or with <code>POST /v1/runs</code>.</>
          )}
        </EmptyState>
      )}
      {!!runs?.length && (
        <table className="table" data-testid="run-table">
          <thead>
            <tr>
              <th scope="col" className="col-check">
                <input type="checkbox" aria-label="Select every run shown" checked={allChosen} onChange={() => setSelected(allChosen ? new Set() : new Set(runs.map((r) => r.id)))} />
              </th>
              <th scope="col">Status</th>
              <th scope="col">Run</th>
              <th scope="col">Workflow</th>
              <th scope="col">Trigger</th>
              <th scope="col">Created</th>
              <th scope="col">Duration</th>
            </tr>
          </thead>
          <tbody onKeyDown={(e) => onTableKey(e, toggle)}>
            {runs.map((r, i) => (
              <tr key={r.id} data-testid="run-row" data-status={r.status} data-id={r.id} tabIndex={i === 0 ? 0 : -1} data-selected={selected.has(r.id)}
                onFocus={(e) => { for (const row of e.currentTarget.parentElement!.children) (row as HTMLElement).tabIndex = row === e.currentTarget ? 0 : -1; }}>
                <td className="col-check">
                  <input type="checkbox" aria-label={`Select run ${shortId(r.id)}`} checked={selected.has(r.id)} onChange={() => toggle(r.id)} />
                </td>
                <td><StatusBadge status={r.status} /></td>
                <td>
                  <Link href={`/runs/${r.id}`} className="mono">{shortId(r.id)}</Link>
                  {r.status === 'failed' && <div className="cell-error">{errorText(r.error)}</div>}
                </td>
                <td>{nameOf(r.workflowId)}</td>
                <td>{r.triggerType.replace('_', ' ')}</td>
                <td>{when(r.createdAt)}</td>
                <td>{formatDuration(between(r.startedAt, r.finishedAt))}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {next && (
        <div className="more">
          <button type="button" className="btn" onClick={() => void load(next)} data-testid="load-more">Load 50 more</button>
        </div>
      )}
    </>
  );
}
