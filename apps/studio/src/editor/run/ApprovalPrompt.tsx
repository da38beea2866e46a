'use client';
import type { Run } from '@weft/workflow-schema';
import { Check, X } from 'lucide-react';
import { useState } from 'react';
import { useEditor } from '../store';
import { decide } from './run-actions';

/** `{{ a.b }}` filled from the run's data where the path is a plain dotted one; else left as written. */
export function renderPrompt(template: string, run: Run): string {
  const steps = Object.fromEntries(run.steps.map((s) => [s.nodeId, { output: s.output }]));
  const ctx: Record<string, unknown> = { input: run.inputs, steps, run: { id: run.id, workflowId: run.workflowId } };
  return template.replace(/{{\s*([\w.]+)\s*}}/g, (whole, path: string) => {
    let v: unknown = ctx;
    for (const k of path.split('.')) v = typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[k] : undefined;
    return v === undefined ? whole : typeof v === 'string' ? v : JSON.stringify(v);
  });
}

/** Approve / reject a run that waits at `nodeId`. */
export function ApprovalPrompt({ run, nodeId, compact }: { run: Run; nodeId: string; compact?: boolean }) {
  const node = useEditor((s) => s.nodes.find((n) => !n.parentId && n.data.localId === nodeId));
  const [busy, setBusy] = useState(false);
  const raw = typeof node?.data.config.prompt === 'string' ? node.data.config.prompt : 'Approve this step?';
  const act = async (d: 'approve' | 'reject') => {
    setBusy(true);
    if (!(await decide(run.id, nodeId, d))) setBusy(false);
  };
  return (
    <div className={compact ? 'approval approval-compact' : 'approval'} role="region" aria-label="Approval needed" data-testid="approval-prompt">
      <div className="approval-text">
        <strong>{node?.data.name || nodeId} is waiting for approval</strong>
        <span>{renderPrompt(raw, run)}</span>
      </div>
      <div className="approval-actions">
        <button type="button" className="btn btn-danger" disabled={busy} onClick={() => void act('reject')} data-testid="reject">
          <X size={14} /> Reject
        </button>
        <button type="button" className="btn btn-success" disabled={busy} onClick={() => void act('approve')} data-testid="approve">
          <Check size={14} /> Approve
        </button>
      </div>
    </div>
  );
}
