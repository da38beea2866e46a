'use client';
import type { WebhookView } from '@weft/workflow-schema';
import { useCallback, useState } from 'react';
import { api, errorMessage } from '../../lib/api';
import { useLoaded } from '../../lib/use-loaded';
import { useEditor } from '../store';
import { CopyButton } from './CopyButton';
import { WebhookDeliveries } from './WebhookDeliveries';
import { WebhookForm, type NewWebhook } from './WebhookForm';

/**
 * The workflow's webhooks: each URL with a copy button, its scheme and an on/off switch, its recent
 * deliveries; a form to add one. A generated signing secret is shown once, right after creation.
 */
export function WebhooksSection() {
  const workflowId = useEditor((s) => s.workflowId);
  const load = useCallback(async () => (await api.listWebhooks(workflowId, { limit: 100 })).items, [workflowId]);
  const { data: hooks, setData: setHooks, error, setError, reload } = useLoaded(load);
  const [adding, setAdding] = useState(false);
  const [secret, setSecret] = useState<{ hookId: string; value: string } | null>(null);
  const [open, setOpen] = useState<string | null>(null);

  const toggle = async (hook: WebhookView, enabled: boolean) => {
    setHooks((list) => list?.map((h) => (h.id === hook.id ? { ...h, enabled } : h)) ?? null);
    try {
      await api.updateWebhook(hook.id, { enabled });
    } catch (err) {
      setError(errorMessage(err));
    }
    await reload();
  };

  const create = async (body: NewWebhook) => {
    const created = await api.createWebhook(workflowId, body);
    setAdding(false);
    if (created.secret) setSecret({ hookId: created.id, value: created.secret });
    await reload();
  };

  return (
    <section aria-label="Webhooks" data-testid="webhooks">
      <h3 className="section-title">Webhooks</h3>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      {hooks?.length === 0 && !adding && <p className="muted">No webhook: add one to start this workflow from another app.</p>}
      <ul className="schedule-list">
        {hooks?.map((h) => (
          <li key={h.id} className="webhook-item" data-testid={`webhook-${h.id}`}>
            <div className="webhook-head">
              <span className="badge">{h.scheme}</span>
              {h.mode === 'sync' && <span className="badge badge-info">sync</span>}
              <label className="schedule-toggle">
                <input type="checkbox" className="checkbox" checked={h.enabled} aria-label={`Webhook ${h.id} enabled`} onChange={(e) => void toggle(h, e.target.checked)} />
                On
              </label>
              <button
                type="button"
                className="btn btn-sm btn-ghost"
                aria-label={`Delete webhook ${h.id}`}
                onClick={() => window.confirm('Delete this webhook? Its URL answers 410 afterwards.') && void api.deleteWebhook(h.id).then(reload, (err) => setError(errorMessage(err)))}
              >
                Delete
              </button>
            </div>
            <div className="webhook-url">
              <code className="mono" data-testid="webhook-url">
                {h.url}
              </code>
              <CopyButton text={h.url} label="Copy URL" />
            </div>
            {h.warning && <p className="field-help webhook-warning">{h.warning}</p>}
            {secret?.hookId === h.id && (
              <div className="webhook-secret" role="status" data-testid="webhook-secret">
                <span className="field-label">Signing secret (shown only now)</span>
                <code className="mono">{secret.value}</code>
                <CopyButton text={secret.value} label="Copy secret" />
              </div>
            )}
            <button type="button" className="btn btn-sm btn-ghost" aria-expanded={open === h.id} onClick={() => setOpen(open === h.id ? null : h.id)}>
              Recent deliveries
            </button>
            {open === h.id && <WebhookDeliveries hookId={h.id} enabled={h.enabled} />}
          </li>
        ))}
      </ul>
      {adding ? (
        <WebhookForm onCancel={() => setAdding(false)} onCreate={create} />
      ) : (
        <button type="button" className="btn btn-sm" onClick={() => setAdding(true)} data-testid="add-webhook">
          Add webhook
        </button>
      )}
    </section>
  );
}
