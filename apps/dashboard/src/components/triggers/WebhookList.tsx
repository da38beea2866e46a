'use client';
import type { WebhookView, Workflow } from '@weft/workflow-schema';
import Link from 'next/link';
import { useState } from 'react';
import { api } from '../../lib/api';
import { when } from '../../lib/format';
import { useAction } from '../../lib/use-action';
import { usePage } from '../../lib/use-page';
import { ConfirmButton } from '../ConfirmButton';
import { CopyButton } from '../CopyButton';
import { EmptyState, ErrorNote } from '../EmptyState';
import { ToggleSwitch } from './ToggleSwitch';
import { WebhookDeliveries } from './WebhookDeliveries';
import { WebhookForm } from './WebhookForm';

/**
 * Webhooks of the org (or of one workflow): URL, scheme, mode, on/off, delete; each opens to its
 * deliveries. A new one's generated secret is shown once, with a copy button.
 */
export function WebhookList({ workflows, workflowId }: { workflows: Workflow[]; workflowId?: string }) {
  const { items, error, reload } = usePage(() => api.listOrgWebhooks({ limit: 200, ...(workflowId ? { workflowId } : {}) }));
  const [secret, setSecret] = useState<{ hook: WebhookView; secret: string } | null>(null);
  const { error: actionError, run: act } = useAction(reload);
  const names = new Map(workflows.map((w) => [w.id, w.name]));
  return (
    <>
      <ErrorNote message={error ?? actionError} />
      {secret && (
        <section className="card once-key" aria-labelledby="hook-secret-title" data-testid="webhook-secret">
          <h2 id="hook-secret-title">Copy the signing secret now</h2>
          <p className="small muted">Give it to the sender ({secret.hook.scheme}). It is shown only this once; rotate it through the API to get a new one.</p>
          <code className="mono">{secret.secret}</code>
          <div className="row-buttons">
            <CopyButton text={secret.secret} label="Copy secret" testId="copy-webhook-secret" />
            <button type="button" className="btn btn-sm" onClick={() => setSecret(null)}>I have stored it</button>
          </div>
        </section>
      )}
      <details className="card create-card">
        <summary>New webhook</summary>
        <WebhookForm workflows={workflows} {...(workflowId ? { workflowId } : {})} onCreated={async (h) => {
          if (h.secret) setSecret({ hook: h, secret: h.secret });
          await reload();
        }} />
      </details>
      {items?.length === 0 && (
        <EmptyState title="No webhooks yet" testId="webhooks-empty">
          Open <strong>New webhook</strong> above to create one: it gets a URL that starts a run of the workflow’s latest published version for each signed delivery.
        </EmptyState>
      )}
      {!!items?.length && (
        <ul className="plain-list hook-list" data-testid="webhook-list">
          {items.map((h) => (
            <li key={h.id} className="card" data-testid="webhook-row" data-workflow={h.workflowId}>
              <div className="row-between">
                <div>
                  {!workflowId && <Link href={`/workflows/${h.workflowId}`} className="strong">{names.get(h.workflowId) ?? h.workflowId}</Link>}
                  <div className="row-buttons small"><code className="mono" data-testid="webhook-url">{h.url}</code><CopyButton text={h.url} label="Copy URL" /></div>
                  <div className="small muted">{h.scheme}{h.header ? ` (${h.header})` : ''} · {h.mode} · created {when(h.createdAt)}</div>
                  {h.warning && <div className="small notice warn">{h.warning}</div>}
                </div>
                <div className="row-buttons">
                  <ToggleSwitch on={h.enabled} label={`Webhook ${h.url}`} onToggle={() => act(() => api.updateWebhook(h.id, { enabled: !h.enabled }))} testId="webhook-enabled" />
                  <ConfirmButton label="Delete" confirm="Delete this webhook? Its URL answers 410 from then on." onConfirm={() => act(() => api.deleteWebhook(h.id))} testId="webhook-delete" />
                </div>
              </div>
              <details>
                <summary data-testid="webhook-open">Deliveries and test events</summary>
                <WebhookDeliveries hook={h} />
              </details>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
