'use client';
import type { Issue, Workflow } from '@weft/workflow-schema';
import { FileJson, KeyRound, Plus, Upload, Users, Workflow as WorkflowIcon } from 'lucide-react';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useCallback, useEffect, useRef, useState } from 'react';
import { checkImport } from '../editor/import';
import { ImportErrorDialog } from '../editor/ImportErrorDialog';
import { api, errorMessage } from '../lib/api';
import { QUICK_STARTERS, type Starter } from '../lib/starters';
import { AccountMenu } from '@weft/ui/account-menu';
import { NewWorkflowDialog } from './NewWorkflowDialog';
import { ThemeToggle } from '@weft/ui/theme';
import { LoadError } from './LoadError';
import { StarterMenu } from './StarterMenu';
import { toast, Toasts } from './toast';
import { WorkflowRowActions } from './WorkflowRowActions';

type Load = { state: 'loading' } | { state: 'error'; message: string } | { state: 'ready'; items: Workflow[]; next: string | null };
const PAGE = 50;

/** Home: the org's workflows, newest first, searched by name and paged; create, import, or start from a template. */
export function WorkflowList() {
  const router = useRouter();
  const [load, setLoad] = useState<Load>({ state: 'loading' });
  const [search, setSearch] = useState('');
  const [query, setQuery] = useState('');
  const [creating, setCreating] = useState(false);
  const [importError, setImportError] = useState<{ title: string; issues: Issue[]; file?: string } | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);

  // The search is sent to the API (a name can be on any page), a moment after the last key.
  useEffect(() => {
    const t = setTimeout(() => setQuery(search.trim()), 250);
    return () => clearTimeout(t);
  }, [search]);
  const refresh = useCallback(() => {
    api
      .listWorkflows({ limit: PAGE, ...(query ? { q: query } : {}) })
      .then((p) => setLoad({ state: 'ready', items: p.items, next: p.nextCursor }))
      .catch((err: unknown) => setLoad({ state: 'error', message: errorMessage(err) }));
  }, [query]);
  useEffect(refresh, [refresh]);
  const more = () => {
    if (load.state !== 'ready' || !load.next) return;
    api
      .listWorkflows({ limit: PAGE, cursor: load.next, ...(query ? { q: query } : {}) })
      .then((p) => setLoad({ state: 'ready', items: [...load.items, ...p.items], next: p.nextCursor }))
      .catch((err: unknown) => toast('error', `More workflows could not be loaded: ${errorMessage(err)}`));
  };

  const create = async (name: string, definition?: Record<string, unknown>, description?: string) => {
    try {
      const wf = await api.createWorkflow({ name, ...(description ? { description } : {}), ...(definition ? { definition } : {}) });
      router.push(`/workflows/${wf.id}`);
    } catch (err) {
      toast('error', `Could not create the workflow: ${errorMessage(err)}`);
    }
  };
  const fromStarter = (s: Starter) => void create(s.name, s.definition as Record<string, unknown>, s.description);
  const importFile = async (file: File) => {
    const r = await checkImport(await file.text());
    if (!r.ok) return setImportError({ title: r.title, issues: r.issues, file: file.name });
    await create(file.name.replace(/(\.weft)?\.json$/i, '') || 'Imported workflow', r.definition as Record<string, unknown>);
  };

  return (
    <div className="home">
      <header className="home-header">
        <div className="brand">
          <WorkflowIcon size={20} aria-hidden /> Weft Studio
        </div>
        <nav className="header-links">
          <Link href="/keys" data-testid="nav-keys">
            <KeyRound size={14} aria-hidden /> API keys
          </Link>
          <Link href="/members" data-testid="nav-members">
            <Users size={14} aria-hidden /> Members
          </Link>
          <AccountMenu />
          <ThemeToggle />
        </nav>
      </header>
      <main className="home-main">
        <div className="home-title">
          <div>
            <h1>Workflows</h1>
            <p className="muted">Design a workflow on the canvas, publish a version, run it.</p>
          </div>
          <div className="row-actions">
            <StarterMenu onPick={fromStarter} />
            <button type="button" className="btn" onClick={() => fileInput.current?.click()} data-testid="import-workflow">
              <Upload size={14} /> Import
            </button>
            <button type="button" className="btn btn-primary" onClick={() => setCreating(true)} data-testid="new-workflow">
              <Plus size={14} /> New workflow
            </button>
          </div>
        </div>
        <input className="input search" type="search" placeholder="Search workflows by name" aria-label="Search workflows" value={search} onChange={(e) => setSearch(e.target.value)} data-testid="workflow-search" />
        {load.state === 'loading' && (
          <div className="wf-table" aria-busy="true" aria-label="Loading workflows">
            {Array.from({ length: 4 }, (_, i) => (
              <div key={i} className="wf-row">
                <div className="skeleton" style={{ height: 18, width: '40%' }} />
              </div>
            ))}
          </div>
        )}
        {load.state === 'error' && (
          <LoadError title="The workflows could not be loaded" message={load.message} onRetry={() => (setLoad({ state: 'loading' }), refresh())} />
        )}
        {load.state === 'ready' && load.items.length === 0 && query && (
          <section className="card empty-list" data-testid="no-match">
            <h2>No workflow matches “{query}”</h2>
            <p className="muted">Try another name, or clear the search.</p>
          </section>
        )}
        {load.state === 'ready' && load.items.length === 0 && !query && (
          <section className="card empty-list" data-testid="empty-list">
            <h2>No workflows yet</h2>
            <p className="muted">Start from one of these, or create a blank workflow.</p>
            <Starters onPick={fromStarter} />
          </section>
        )}
        {load.state === 'ready' && load.items.length > 0 && (
          <>
            <ul className="wf-table" data-testid="workflow-list">
              {load.items.map((w) => (
                <li key={w.id} className="wf-item" data-testid="workflow-item">
                  <Link className="wf-row" href={`/workflows/${w.id}`}>
                    <span className="wf-row-name">{w.name}</span>
                    <span className="wf-row-desc muted">{w.description}</span>
                    <span className={w.latestVersion ? 'badge badge-accent' : 'badge'}>{w.latestVersion ? `v${w.latestVersion}` : 'draft'}</span>
                    <time className="muted" dateTime={w.updatedAt}>
                      {new Date(w.updatedAt).toLocaleString()}
                    </time>
                  </Link>
                  <WorkflowRowActions workflow={w} onChanged={refresh} onDuplicated={(copy) => router.push(`/workflows/${copy.id}`)} />
                </li>
              ))}
            </ul>
            {load.next && (
              <button type="button" className="btn load-more" onClick={more} data-testid="load-more">
                Load more
              </button>
            )}
          </>
        )}
      </main>
      <input
        ref={fileInput}
        type="file"
        accept=".json,application/json"
        hidden
        onChange={(e) => {
          const f = e.target.files?.[0];
          e.target.value = '';
          if (f) void importFile(f);
        }}
      />
      <NewWorkflowDialog open={creating} onClose={() => setCreating(false)} onCreate={(name, description) => create(name, undefined, description)} />
      <ImportErrorDialog error={importError} onClose={() => setImportError(null)} />
      <Toasts />
    </div>
  );
}

function Starters({ onPick }: { onPick(s: Starter): void }) {
  return (
    <div className="starter-grid">
      {QUICK_STARTERS.map((s) => (
        <button key={s.key} type="button" className="starter" onClick={() => onPick(s)} data-testid={`starter-${s.key}`}>
          <FileJson size={18} aria-hidden />
          <strong>{s.name}</strong>
          <span className="muted">{s.description}</span>
        </button>
      ))}
    </div>
  );
}
