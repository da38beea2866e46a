'use client';
import { FileJson, X } from 'lucide-react';
import { useState } from 'react';
import { isResumable } from '@weft/workflow-schema/kinds';
import { QUICK_STARTERS, type Starter } from '../lib/starters';
import { ApprovalPrompt } from './run/ApprovalPrompt';
import { closeRun } from './run/run-actions';
import { StatusBadge } from '@weft/ui/status-badge';
import { useShallow } from 'zustand/react/shallow';
import { runProgress } from './run/progress';
import { useEditor } from './store';

/** On an (almost) empty canvas: the three starter workflows. */
export function EmptyCanvas({ onStarter }: { onStarter(s: Starter): void }) {
  const nearlyEmpty = useEditor((s) => s.nodes.length <= 1 && s.edges.length === 0);
  const [hidden, setHidden] = useState(false);
  if (!nearlyEmpty || hidden) return null;
  return (
    <section className="empty-canvas" aria-label="Start from a template" data-testid="empty-canvas">
      <header>
        <div>
          <h2>Start from a template</h2>
          <p className="muted">Or drag nodes from the palette, right-click the canvas, or drop a workflow JSON file here.</p>
        </div>
        <button type="button" className="icon-btn" aria-label="Hide templates" onClick={() => setHidden(true)}>
          <X size={16} />
        </button>
      </header>
      <div className="starter-grid">
        {QUICK_STARTERS.map((s) => (
          <button key={s.key} type="button" className="starter" onClick={() => onStarter(s)} data-testid={`starter-${s.key}`}>
            <FileJson size={18} aria-hidden />
            <strong>{s.name}</strong>
            <span className="muted">{s.description}</span>
          </button>
        ))}
      </div>
    </section>
  );
}

/** Over the canvas while a run is shown: its status, and the approve/reject prompt when a step waits. */
export function RunBar() {
  const run = useEditor((s) => s.run);
  const waitingStep = useEditor((s) => s.run?.steps.find((st) => st.status === 'waiting'));
  const waitingType = useEditor((s) => (waitingStep ? s.nodes.find((n) => !n.parentId && n.data.localId === waitingStep.nodeId)?.data.type : undefined));
  const waiting = waitingType && isResumable(waitingType) ? waitingStep : undefined;
  const progress = useEditor(useShallow(runProgress));
  if (!run) return null;
  return (
    <div className="run-bar-wrap">
      <div className="run-bar" data-testid="run-bar">
        <span>Run</span>
        <StatusBadge status={run.status} />
        <span className="muted">
          {progress.done}/{progress.total} steps done
        </span>
        <button type="button" className="btn btn-sm btn-ghost" onClick={closeRun}>
          Back to editing
        </button>
      </div>
      {waiting && <ApprovalPrompt run={run} nodeId={waiting.nodeId} compact />}
    </div>
  );
}
