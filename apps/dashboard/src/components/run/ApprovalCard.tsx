'use client';
import { Check, X } from 'lucide-react';
import { useId, useState } from 'react';
import { api, errorMessage } from '../../lib/api';
import { parsePayload } from '../../lib/approval-payload';
import type { WaitingApproval } from '../../lib/run-steps';

/**
 * A waiting approval with its prompt: approve or reject (the run continues by that handle), with an
 * optional JSON payload (the approval step's output), checked before it is sent.
 */
export function ApprovalCard({ approval, title, onDone }: { approval: WaitingApproval; title?: string; onDone: (decision: 'approve' | 'reject') => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [text, setText] = useState('');
  const [payloadError, setPayloadError] = useState<string | null>(null);
  const fieldId = useId();
  const decide = async (decision: 'approve' | 'reject') => {
    const field = parsePayload(text);
    if (!field.ok) return setPayloadError(field.error);
    setPayloadError(null);
    setBusy(true);
    try {
      await api.resumeRun(approval.runId, { nodeId: approval.nodeId, decision, ...('payload' in field && { payload: field.payload }) });
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
        <label className="field" htmlFor={fieldId}>
          <span className="field-label">Payload (optional JSON, becomes the step&apos;s output)</span>
        </label>
        <textarea id={fieldId} className="textarea mono" rows={3} value={text} spellCheck={false} placeholder='{"reason": "looks fine"}'
          onChange={(e) => { setText(e.target.value); setPayloadError(null); }} aria-invalid={!!payloadError}
          aria-describedby={payloadError ? `${fieldId}-error` : undefined} data-testid="approval-payload" />
        {payloadError && <p className="error-note" role="alert" id={`${fieldId}-error`} data-testid="approval-payload-error">{payloadError}</p>}
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
