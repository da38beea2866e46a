'use client';
import { WeftApiError } from '@weft/sdk';
import { TERMINAL_RUN_STATUSES } from '@weft/workflow-schema';
import Link from 'next/link';
import { useEffect, useState } from 'react';
import { api, errorMessage } from '../lib/api';
import { catalogFrom, loadCatalog } from '../lib/catalog';
import type { OpenedWorkflow } from '../lib/draft';
import { toCanvas } from '../lib/graph';
import { Editor } from './Editor';
import { watchRun } from './run/run-actions';
import { useEditor } from './store';

type Load = { state: 'loading' } | { state: 'ready' } | { state: 'error'; message: string; notFound: boolean };

/** The workflow (its draft read: lib/draft.ts) and the catalog as the page's server fetched them. */
export interface Preloaded {
  workflow: OpenedWorkflow;
  catalog: Awaited<ReturnType<typeof api.catalogNodes>>;
}

/** Without the server's: Zod comes with lib/draft.ts, loaded only on this path. */
const fetchWorkflow = (id: string) => Promise.all([api.getWorkflow(id), import('../lib/draft')]).then(([w, draft]) => draft.openWorkflow(w));

/**
 * After a reload, the workflow's latest run comes back on the canvas if it is still going (or
 * waiting for an approval, which can then be answered): runs do not vanish when the page does.
 */
function reopenLiveRun(workflowId: string, live: () => boolean) {
  api.listRuns({ workflowId, limit: 1 }).then((p) => {
    const last = p.items[0];
    if (live() && last && !TERMINAL_RUN_STATUSES.has(last.status) && !useEditor.getState().run) watchRun(last.id);
  }, () => undefined);
}

/** Loads a workflow and the catalog into the editor store (or takes them preloaded), with loading and error states. */
export function EditorLoader({ id, preloaded }: { id: string; preloaded?: Preloaded }) {
  const [load, setLoad] = useState<Load>({ state: 'loading' });
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    let live = true;
    const given = attempt === 0 && preloaded?.workflow.id === id ? preloaded : undefined;
    Promise.all(given ? [given.workflow, catalogFrom(given.catalog)] : [fetchWorkflow(id), loadCatalog()])
      .then(([workflow, catalog]) => {
        if (!live) return;
        performance.mark('weft:workflow-loaded'); // the API answered (bench/ splits the opening time here)
        useEditor.getState().init({ workflowId: workflow.id, name: workflow.name, catalog, doc: toCanvas(workflow.definition) });
        // Problems of the draft as loaded (later saves refresh them).
        api.validate(workflow.invalidDraft ?? workflow.definition).then((r) => live && useEditor.getState().setProblems(r.errors), () => undefined);
        document.title = `${workflow.name} · Weft Studio`;
        reopenLiveRun(workflow.id, () => live);
        setLoad({ state: 'ready' });
      })
      .catch((err: unknown) => live && setLoad({ state: 'error', message: errorMessage(err), notFound: err instanceof WeftApiError && err.status === 404 }));
    return () => {
      live = false;
    };
  }, [id, attempt, preloaded]);

  if (load.state === 'ready') return <Editor />;
  if (load.state === 'error')
    return (
      <main className="center-state" role="alert">
        <h1>{load.notFound ? 'This workflow does not exist' : 'The workflow could not be loaded'}</h1>
        <p className="muted">{load.message}</p>
        <div className="row-actions">
          {!load.notFound && (
            <button type="button" className="btn btn-primary" onClick={() => (setLoad({ state: 'loading' }), setAttempt((a) => a + 1))}>
              Try again
            </button>
          )}
          <Link className="btn" href="/">
            All workflows
          </Link>
        </div>
      </main>
    );
  return <EditorSkeleton />;
}

/** The editor's frame with placeholders, so nothing moves when it loads. */
function EditorSkeleton() {
  return (
    <div className="editor" aria-busy="true" aria-label="Loading the workflow">
      <header className="topbar">
        <div className="skeleton" style={{ width: 220, height: 20 }} />
      </header>
      <div className="editor-main">
        <aside className="palette">
          {Array.from({ length: 6 }, (_, i) => (
            <div key={i} className="skeleton" style={{ height: 44, margin: '8px 12px' }} />
          ))}
        </aside>
        <div className="canvas-wrap center-state">
          <span className="spinner" />
        </div>
        <aside className="inspector" />
      </div>
    </div>
  );
}
