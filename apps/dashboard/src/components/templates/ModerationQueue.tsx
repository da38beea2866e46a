'use client';
import { WeftApiError } from '@weft/sdk';
import type { QueuedTemplate } from '@weft/workflow-schema';
import { useCallback, useEffect, useState } from 'react';
import { api, errorMessage } from '../../lib/api';
import { EmptyState, ErrorNote } from '../EmptyState';
import { PageHeader } from '../PageHeader';
import { ReviewPanel } from './ReviewPanel';

/**
 * The moderators' queue: templates submitted for review, each opened to read its readme, graph,
 * slots, domains and warnings, then approved and published, or rejected with a reason. The API
 * decides who is a moderator (owners of the platform org): anyone else is told so.
 */
export function ModerationQueue() {
  const [items, setItems] = useState<QueuedTemplate[] | null>(null);
  const [forbidden, setForbidden] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const load = useCallback(() => {
    api.moderationQueue({ status: 'pending', limit: 200 }).then(
      (p) => setItems(p.items),
      (err) => (err instanceof WeftApiError && err.status === 403 ? setForbidden(true) : setError(errorMessage(err))),
    );
  }, []);
  useEffect(load, [load]);
  if (forbidden) {
    return (
      <>
        <PageHeader title="Template moderation" />
        <EmptyState title="Moderators only" testId="moderation-forbidden">Reviewing templates is for owners of the platform org.</EmptyState>
      </>
    );
  }
  return (
    <>
      <PageHeader title="Template moderation" sub="Submitted templates waiting for review. Only published templates are in the public gallery." />
      <ErrorNote message={error} />
      {items?.length === 0 && <EmptyState title="Nothing to review" testId="moderation-empty">New submissions appear here.</EmptyState>}
      <ul className="plain-list" data-testid="moderation-queue">
        {items?.map((t) => (
          <li key={t.id} className="card" data-testid="queued-template">
            <div className="page-header">
              <div>
                <strong>{t.name}</strong> <code className="muted small">{t.slug}</code> · v{t.latestVersion}
                <p className="muted small">{t.summary}</p>
              </div>
              <button type="button" className="btn btn-sm" onClick={() => setOpen(open === t.id ? null : t.id)} aria-expanded={open === t.id} data-testid="review">
                {open === t.id ? 'Close' : 'Review'}
              </button>
            </div>
            {open === t.id && <ReviewPanel id={t.id} onDone={() => {
              setOpen(null);
              load();
            }} />}
          </li>
        ))}
      </ul>
    </>
  );
}
