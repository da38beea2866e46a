'use client';
import { useEffect, useState } from 'react';
import Markdown from 'react-markdown';
import { api, errorMessage } from '../../lib/api';
import { ErrorNote } from '../EmptyState';
import { TemplateGraph } from './TemplateGraph';

type Review = Awaited<ReturnType<typeof api.templateForReview>>;

/** One submitted template as a moderator reads it, with approve-and-publish and reject-with-reason. */
export function ReviewPanel({ id, onDone }: { id: string; onDone: () => void }) {
  const [t, setT] = useState<Review | null>(null);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    api.templateForReview(id).then(setT, (err) => setError(errorMessage(err)));
  }, [id]);
  const act = async (actions: Array<'approve' | 'publish' | 'reject'>) => {
    setBusy(true);
    setError(null);
    try {
      for (const action of actions) await api.moderateTemplate(id, action === 'reject' ? { action, reason } : { action });
      onDone();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };
  if (!t) return <ErrorNote message={error} />;
  const v = t.versions[0];
  return (
    <div className="review" data-testid="review-panel">
      <TemplateGraph definition={t.definition} />
      <div className="review-facts small">
        <p><strong>Category</strong> {t.category} · <strong>Tags</strong> {t.tags.join(', ') || '—'}</p>
        <p><strong>Credentials</strong> {v?.credentials.map((c) => `${c.name} (${c.kind}${c.description ? `: ${c.description}` : ''})`).join('; ') || 'none'}</p>
        <p><strong>Domains</strong> {v?.domains.join(', ') || 'none'} · <strong>Integrations</strong> {v?.integrations.join(', ') || 'none'}</p>
        {v?.notes && <p><strong>Notes</strong> {v.notes}</p>}
        {v && v.warnings.length > 0 && (
          <ul className="warnings" data-testid="review-warnings">
            {v.warnings.map((w, i) => (
              <li key={i}>{w.nodeId ? `${w.nodeId} · ` : ''}{w.path}: {w.message}</li>
            ))}
          </ul>
        )}
      </div>
      <div className="readme">
        <Markdown skipHtml>{t.readme || '_No readme._'}</Markdown>
      </div>
      <label className="field">
        <span className="field-label">Reason (sent to the creator when rejecting)</span>
        <textarea className="textarea" rows={2} value={reason} onChange={(e) => setReason(e.target.value)} data-testid="reject-reason" />
      </label>
      <ErrorNote message={error} />
      <div className="row">
        <button type="button" className="btn btn-danger" disabled={busy || !reason.trim()} onClick={() => void act(['reject'])} data-testid="reject">Reject</button>
        <button type="button" className="btn btn-success" disabled={busy} onClick={() => void act(['approve', 'publish'])} data-testid="approve-publish">Approve and publish</button>
      </div>
    </div>
  );
}
