'use client';
import type { ApiKeyView, CreatedApiKey } from '@weft/workflow-schema';
import { useState } from 'react';
import { api, errorMessage } from '../lib/api';
import { when } from '../lib/format';
import { usePage } from '../lib/use-page';
import { ApiKeyForm } from './api-keys/ApiKeyForm';
import { ConfirmButton } from './ConfirmButton';
import { CopyButton } from './CopyButton';
import { EmptyState, ErrorNote } from './EmptyState';
import { PageHeader } from './PageHeader';

/**
 * The org's API keys that are not revoked (metadata only), a form to create one with a role and
 * an expiry (the key is shown once, right after, with a copy button), and revoke.
 */
export function ApiKeyList() {
  const { items: keys, error, reload } = usePage(() => api.listApiKeys({ limit: 200 }));
  const [created, setCreated] = useState<CreatedApiKey | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const revoke = async (k: ApiKeyView) => {
    try {
      await api.revokeApiKey(k.id);
      setNotice(`Revoked ${k.name}: it stops working within a second.`);
      setActionError(null);
      await reload();
    } catch (err) {
      setActionError(errorMessage(err));
    }
  };
  return (
    <>
      <PageHeader title="API keys" sub="Keys that call the Weft API for your org, with their role." />
      <ErrorNote message={error ?? actionError} />
      {notice && <p className="notice" role="status">{notice}</p>}
      {created && (
        <section className="card once-key" aria-labelledby="once-key-title" data-testid="created-key">
          <h2 id="once-key-title">Copy the key of “{created.name}” now</h2>
          <p className="small muted">This is the only time it is shown: Weft keeps only its hash. Send it as <code>Authorization: Bearer …</code>.</p>
          <code className="mono" data-testid="created-key-value">{created.key}</code>
          <div className="row-buttons">
            <CopyButton text={created.key} label="Copy key" testId="copy-key" />
            <button type="button" className="btn btn-sm" onClick={() => setCreated(null)} data-testid="created-key-done">I have stored it</button>
          </div>
        </section>
      )}
      <details className="card create-card">
        <summary>New API key</summary>
        <ApiKeyForm
          onCreated={async (k) => {
            setCreated(k);
            setNotice(null);
            await reload();
          }}
        />
      </details>
      {keys?.length === 0 && <EmptyState title="No API keys">Open <strong>New API key</strong> above to create one to call the API from a script or CI: pick the smallest role that does the job, and an expiry.</EmptyState>}
      {!!keys?.length && (
        <table className="table" data-testid="api-keys-table">
          <thead>
            <tr><th scope="col">Name</th><th scope="col">Prefix</th><th scope="col">Role</th><th scope="col">Created</th><th scope="col">Last used</th><th scope="col">Expires</th><th scope="col"><span className="sr-only">Actions</span></th></tr>
          </thead>
          <tbody>
            {keys.map((k) => (
              <tr key={k.id} data-testid="api-key-row" data-name={k.name}>
                <td>{k.name}</td>
                <td className="mono">{k.prefix}…</td>
                <td>{k.role}</td>
                <td>{when(k.createdAt)}</td>
                <td>{k.lastUsedAt ? when(k.lastUsedAt) : 'never'}</td>
                <td data-testid="api-key-expires">{k.expiresAt ? when(k.expiresAt) : 'never'}</td>
                <td><ConfirmButton label="Revoke" confirm={`Revoke ${k.name}?`} onConfirm={() => revoke(k)} testId="api-key-revoke" /></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
