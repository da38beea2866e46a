'use client';
import type { ApprovalLinkDecision, ApprovalLinkView } from '@weft/workflow-schema';
import { WeftApiError } from '@weft/sdk';
import { Check, X } from 'lucide-react';
import { useEffect, useState } from 'react';
import { api, errorMessage } from '../../lib/api';

type State = { kind: 'loading' } | { kind: 'ready'; link: ApprovalLinkView } | { kind: 'done'; result: ApprovalLinkDecision } | { kind: 'refused'; title: string; detail: string };

/** What a refused link means, in words (the API's `reason` of 404/410, or its 400). */
function refusal(err: unknown): { title: string; detail: string } {
  if (!(err instanceof WeftApiError)) return { title: 'Something went wrong', detail: errorMessage(err) };
  const reason = (err.problem as { reason?: string }).reason;
  const titles: Record<string, string> = {
    link_used: 'This link was already used',
    link_expired: 'This link has expired',
    approval_decided: 'This approval was already decided',
    link_unknown: 'This link is not valid',
  };
  const title = (reason && titles[reason]) ?? (err.status === 400 ? 'This link is not valid' : err.problem.title);
  return { title, detail: err.problem.detail ?? '' };
}

const promptText = (p: unknown) => (typeof p === 'string' ? p : JSON.stringify(p, null, 2));

/** Shows what an approval link will do, and takes its decision only when the button is pressed (POST through the same-origin proxy). */
export function LinkDecision({ token }: { token: string }) {
  const [state, setState] = useState<State>({ kind: 'loading' });
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    let live = true;
    api.getApprovalLink(token).then(
      (link) => live && setState({ kind: 'ready', link }),
      (err: unknown) => live && setState({ kind: 'refused', ...refusal(err) }),
    );
    return () => {
      live = false;
    };
  }, [token]);

  const decide = async () => {
    setBusy(true);
    try {
      const result = await api.decideByApprovalLink(token, comment.trim() ? { comment: comment.trim() } : {});
      setState({ kind: 'done', result });
    } catch (err) {
      setState({ kind: 'refused', ...refusal(err) });
    }
  };

  return (
    <main id="main" className="sign-in">
      <section className="card sign-in-card approve-link" aria-labelledby="approve-title" data-testid="approve-link">
        {state.kind === 'loading' && <p className="muted">Reading the link…</p>}
        {state.kind === 'refused' && (
          <>
            <h1 id="approve-title">{state.title}</h1>
            <p data-testid="approve-refused">{state.detail}</p>
            <p className="muted small">Nothing was changed. Ask for a new link, or decide from the approvals inbox of the dashboard.</p>
          </>
        )}
        {state.kind === 'done' && (
          <>
            <h1 id="approve-title">{state.result.decision === 'approve' ? 'Approved' : 'Rejected'}</h1>
            <p data-testid="approve-done">
              Recorded for run <code>{state.result.runId}</code>; the workflow continues. Every link of this approval now stops working.
            </p>
          </>
        )}
        {state.kind === 'ready' && (
          <>
            <h1 id="approve-title">{state.link.decision === 'approve' ? 'Approve this request?' : 'Reject this request?'}</h1>
            <p className="muted small">
              <strong>{state.link.workflow.name}</strong> · run <code>{state.link.runId}</code> · step <code>{state.link.nodeId}</code>
            </p>
            <p className="approval-prompt" data-testid="approve-prompt">{promptText(state.link.prompt)}</p>
            <label className="field-label" htmlFor="approve-comment">Comment (optional)</label>
            <textarea id="approve-comment" className="input" rows={3} maxLength={2000} value={comment} onChange={(e) => setComment(e.target.value)} />
            <p className="muted small">Sent to {state.link.recipient}; works once, until {new Date(state.link.expiresAt).toLocaleString()}.</p>
            {state.link.decision === 'approve' ? (
              <button type="button" className="btn btn-success" disabled={busy} onClick={() => void decide()} data-testid="approve">
                <Check size={14} aria-hidden /> Approve
              </button>
            ) : (
              <button type="button" className="btn btn-danger" disabled={busy} onClick={() => void decide()} data-testid="reject">
                <X size={14} aria-hidden /> Reject
              </button>
            )}
          </>
        )}
      </section>
    </main>
  );
}
