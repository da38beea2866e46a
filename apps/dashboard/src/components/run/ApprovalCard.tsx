'use client';
import { Check, X } from 'lucide-react';
import { useState } from 'react';
import { api, errorMessage } from '../../lib/api';
import type { WaitingApproval } from '../../lib/run-steps';

/** A waiting approval with its prompt: approve or reject (the run continues by that handle). */
export function ApprovalCard({ approval, title, onDone }: { approval: WaitingApproval; title?: string; onDone: (decision: 'approve' | 'reject') => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const decide = async (decision: 'approve' | 'reject') => {
    setBusy(true);
    try {
      await api.resumeRun(approval.runId, { nodeId: approval.nodeId, decision });
      onDone(decision);
    } catch (err) {
      setError(`Could not ${decision}: ${errorMessage(err)}`);
      setBusy(false);
    }
  };
  return (
    <section className="approval-card" aria-label={`Approval: ${approval.nodeId}`} data-testid="approval-card">
      <div>
        <strong>{title ?? `${approval.nodeId} is waiting for approval`}</strong>
        <p className="approval-prompt">{approval.prompt}</p>
        {approval.since && <p className="muted small">Waiting since {new Date(approval.since).toLocaleString()}</p>}
        {error && <p className="error-note" role="alert">{error}</p>}
      </div>
      <div className="approval-actions">
        <button type="button" className="btn btn-danger" disabled={busy} onClick={() => void decide('reject')} data-testid="reject">
          <X size={14} aria-hidden /> Reject
        </button>
        <button type="button" className="btn btn-success" disabled={busy} onClick={() => void decide('approve')} data-testid="approve">
          <Check size={14} aria-hidden /> Approve
        </button>
      </div>
    </section>
  );
}
