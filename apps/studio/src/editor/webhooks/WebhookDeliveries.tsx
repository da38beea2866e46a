'use client';
import type { WebhookDelivery } from '@weft/workflow-schema';
import { useEffect, useState } from 'react';
import { api, errorMessage } from '../../lib/api';

/** The hook's last deliveries: when, what became of them (and why when refused), the run they started. */
export function WebhookDeliveries({ hookId }: { hookId: string }) {
  const [items, setItems] = useState<WebhookDelivery[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    api.listWebhookDeliveries(hookId, { limit: 10 }).then(
      (page) => live && setItems(page.items),
      (err) => live && setError(errorMessage(err)),
    );
    return () => {
      live = false;
    };
  }, [hookId]);
  if (error) return <p className="field-error">{error}</p>;
  if (!items) return <p className="muted">Loading…</p>;
  if (items.length === 0) return <p className="muted">No delivery yet: POST to the URL above.</p>;
  return (
    <ul className="webhook-deliveries" data-testid="webhook-deliveries">
      {items.map((d) => (
        <li key={d.id}>
          <span className="mono">{new Date(d.receivedAt).toLocaleTimeString()}</span>{' '}
          <span className={`badge ${d.status === 'refused' ? 'badge-danger' : 'badge-success'}`}>{d.status}</span> {d.httpStatus}
          {d.reason && <span className="muted"> · {d.reason}</span>}
          {d.runId && <span className="mono muted"> · run {d.runId.slice(-8)}</span>}
        </li>
      ))}
    </ul>
  );
}
