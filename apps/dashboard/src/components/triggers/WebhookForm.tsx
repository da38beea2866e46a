'use client';
import type { Workflow, WebhookView } from '@weft/workflow-schema';
import { useState } from 'react';
import { api } from '../../lib/api';
import { WEBHOOK_MODE_CHOICES, WEBHOOK_SCHEME_CHOICES } from '../../lib/schema-constants';
import { useAction } from '../../lib/use-action';
import { WorkflowPicker } from './WorkflowPicker';

const SCHEME_HELP: Record<WebhookView['scheme'], string> = {
  'standard-webhooks': 'Standard Webhooks signatures (webhook-id, -timestamp, -signature): a secret is generated.',
  github: 'GitHub’s X-Hub-Signature-256: paste the generated secret in the GitHub webhook settings.',
  stripe: 'Stripe-Signature: use the generated secret as the endpoint’s signing secret.',
  header: 'A shared secret the sender puts in a header you name.',
  none: 'No verification: anyone who knows the URL can start runs.',
};

/** A new webhook of a workflow: scheme (and header), mode. The answer carries the generated secret, shown once. */
export function WebhookForm({ workflows, workflowId: fixed, onCreated }: { workflows: Workflow[]; workflowId?: string; onCreated(w: WebhookView & { secret?: string }): void | Promise<void> }) {
  const [workflowId, setWorkflowId] = useState(fixed ?? '');
  const [scheme, setScheme] = useState<WebhookView['scheme']>('standard-webhooks');
  const [header, setHeader] = useState('x-webhook-secret');
  const [mode, setMode] = useState<WebhookView['mode']>('async');
  const { busy, error, run } = useAction();
  const submit = () => run(async () => onCreated(await api.createWebhook(workflowId, { verification: { scheme, ...(scheme === 'header' ? { header } : {}) }, mode })));
  return (
    <form className="stack-form" onSubmit={(e) => { e.preventDefault(); void submit(); }} data-testid="webhook-form">
      <div className="form-grid">
        {!fixed && <WorkflowPicker id="hook-workflow" workflows={workflows} value={workflowId} onChange={setWorkflowId} testId="webhook-workflow" />}
        <div className="field">
          <label className="field-label" htmlFor="hook-scheme">Verification</label>
          <select id="hook-scheme" className="select" value={scheme} onChange={(e) => setScheme(e.target.value as WebhookView['scheme'])} aria-describedby="hook-scheme-help" data-testid="webhook-scheme">
            {WEBHOOK_SCHEME_CHOICES.map((s) => <option key={s} value={s}>{s}</option>)}
          </select>
        </div>
        {scheme === 'header' && (
          <div className="field">
            <label className="field-label" htmlFor="hook-header">Header</label>
            <input id="hook-header" className="input mono" value={header} onChange={(e) => setHeader(e.target.value)} required />
          </div>
        )}
        <div className="field">
          <label className="field-label" htmlFor="hook-mode">Mode</label>
          <select id="hook-mode" className="select" value={mode} onChange={(e) => setMode(e.target.value as WebhookView['mode'])} data-testid="webhook-mode">
            {WEBHOOK_MODE_CHOICES.map((m) => <option key={m} value={m}>{m === 'async' ? 'async (answer 202 at once)' : 'sync (answer with the run’s output)'}</option>)}
          </select>
        </div>
      </div>
      <p className={`small ${scheme === 'none' ? 'notice warn' : 'muted'}`} id="hook-scheme-help">{SCHEME_HELP[scheme]}</p>
      {error && <p className="error-note" role="alert">{error}</p>}
      <div><button type="submit" className="btn btn-primary btn-sm" disabled={busy || !workflowId} data-testid="webhook-create">Create webhook</button></div>
    </form>
  );
}
