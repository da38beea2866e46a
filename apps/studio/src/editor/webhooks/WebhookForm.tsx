'use client';
import type { CreateWebhookBody } from '@weft/workflow-schema';
import { useState } from 'react';
import { useSubmit } from '../../lib/use-submit';
import { Choice } from '../form/Choice';

export type NewWebhook = Pick<CreateWebhookBody, 'verification' | 'mode'>;

const SCHEMES = [
  ['standard-webhooks', 'Standard Webhooks (signed; a secret is generated)'],
  ['github', 'GitHub (X-Hub-Signature-256)'],
  ['stripe', 'Stripe (Stripe-Signature)'],
  ['header', 'A shared secret in a header'],
  ['none', 'None: anyone with the URL starts runs'],
] as const;
const MODES = [
  ['async', 'At once (202 with the run id)'],
  ['sync', "With the run's output (waits for the run)"],
] as const;

/** A new webhook: how senders prove who they are, and whether a delivery waits for the run. */
export function WebhookForm({ onCreate, onCancel }: { onCreate: (body: NewWebhook) => Promise<void>; onCancel: () => void }) {
  const [scheme, setScheme] = useState<NewWebhook['verification']['scheme']>('standard-webhooks');
  const [header, setHeader] = useState('X-Webhook-Token');
  const [mode, setMode] = useState<'async' | 'sync'>('async');
  const { busy, error, run } = useSubmit();
  const submit = () => run(() => onCreate({ verification: scheme === 'header' ? { scheme, header } : { scheme }, mode }));
  return (
    <form
      className="schedule-form"
      aria-label="New webhook"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <Choice id="webhook-scheme" label="Verification" value={scheme} options={SCHEMES} onChange={setScheme} />
      {scheme === 'header' && (
        <div className="field">
          <label className="field-label" htmlFor="webhook-header">
            Header name
          </label>
          <input id="webhook-header" className="input mono" value={header} onChange={(e) => setHeader(e.target.value)} />
        </div>
      )}
      <Choice id="webhook-mode" label="Answer" value={mode} options={MODES} onChange={setMode} />
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      <div className="schedule-actions">
        <button type="submit" className="btn btn-sm btn-primary" disabled={busy} data-testid="create-webhook">
          Create webhook
        </button>
        <button type="button" className="btn btn-sm btn-ghost" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
