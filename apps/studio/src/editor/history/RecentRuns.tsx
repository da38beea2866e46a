'use client';
import type { RunSummary } from '@weft/workflow-schema';
import { StatusBadge } from '@weft/ui/status-badge';
import { useEffect, useState } from 'react';
import { api, errorMessage } from '../../lib/api';

/** The workflow's latest runs (test runs of the draft included, marked), each reopened on the canvas, live. */
export function RecentRuns({ workflowId, onOpen }: { workflowId: string; onOpen(runId: string): void }) {
  const [runs, setRuns] = useState<RunSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    api.listRuns({ workflowId, limit: 20 }).then((p) => live && setRuns(p.items), (err) => live && setError(errorMessage(err)));
    return () => {
      live = false;
    };
  }, [workflowId]);
  if (error) return <p className="field-error" role="alert">{error}</p>;
  if (!runs) return <p className="muted">Loading runs…</p>;
  if (runs.length === 0) return <p className="muted" data-testid="no-runs">No run yet. Press Run to try the canvas as it is.</p>;
  return (
    <ul className="recent-runs" data-testid="recent-runs">
      {runs.map((r) => (
        <li key={r.id}>
          <button type="button" className="recent-run" onClick={() => onOpen(r.id)} data-testid="recent-run" data-run-id={r.id}>
            <StatusBadge status={r.status} />
            {r.test ? <span className="badge">test</span> : <span className="badge badge-accent">{r.triggerType}</span>}
            <time className="muted" dateTime={r.createdAt}>{new Date(r.createdAt).toLocaleString()}</time>
            <span className="mono muted">{r.id.slice(0, 8)}</span>
          </button>
        </li>
      ))}
    </ul>
  );
}
