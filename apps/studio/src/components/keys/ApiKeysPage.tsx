'use client';
import type { ApiKeyView, Me } from '@weft/workflow-schema';
import { KeyRound, Plus, Trash2 } from 'lucide-react';
import { useCallback, useEffect, useState } from 'react';
import { api, errorMessage } from '../../lib/api';
import { BackHeader } from '../BackHeader';
import { LoadError } from '../LoadError';
import { toast, Toasts } from '../toast';
import { CreateKeyDialog } from './CreateKeyDialog';
import { KeyCreatedDialog } from './KeyCreatedDialog';
import { RevokeKeyDialog } from './RevokeKeyDialog';
import { expiryLabel } from './expiry';

type Load = { state: 'loading' } | { state: 'error'; message: string } | { state: 'ready'; items: ApiKeyView[]; me: Me };

/** The org's API keys: list with role, prefix, last use and expiry; create (shown once); revoke. */
export function ApiKeysPage() {
  const [load, setLoad] = useState<Load>({ state: 'loading' });
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<{ name: string; key: string } | null>(null);
  const [revoking, setRevoking] = useState<ApiKeyView | null>(null);

  const refresh = useCallback(() => {
    Promise.all([api.listApiKeys({ limit: 200 }), api.me()])
      .then(([page, me]) => setLoad({ state: 'ready', items: page.items, me }))
      .catch((err: unknown) => setLoad({ state: 'error', message: errorMessage(err) }));
  }, []);
  useEffect(refresh, [refresh]);

  const revoke = async (key: ApiKeyView) => {
    try {
      await api.revokeApiKey(key.id);
      setRevoking(null);
      toast('success', `Key "${key.name}" revoked`);
      refresh();
    } catch (err) {
      toast('error', `Could not revoke the key: ${errorMessage(err)}`);
    }
  };

  return (
    <div className="home">
      <BackHeader />
      <main className="home-main">
        <div className="home-title">
          <div>
            <h1>API keys</h1>
            <p className="muted">Keys of this org for scripts and integrations. A key is shown once, when it is created.</p>
          </div>
          <button type="button" className="btn btn-primary" onClick={() => setCreating(true)} disabled={load.state !== 'ready'} data-testid="new-key">
            <Plus size={14} /> New key
          </button>
        </div>
        {load.state === 'loading' && <div className="card keys-loading skeleton" aria-busy="true" aria-label="Loading keys" />}
        {load.state === 'error' && (
          <LoadError title="The keys could not be loaded" message={load.message} onRetry={() => (setLoad({ state: 'loading' }), refresh())} />
        )}
        {load.state === 'ready' && <KeyTable items={load.items} currentKeyId={load.me.apiKey?.id} onRevoke={setRevoking} />}
      </main>
      {load.state === 'ready' && (
        <CreateKeyDialog
          open={creating}
          myRole={load.me.role}
          onClose={() => setCreating(false)}
          onCreated={(key) => {
            setCreating(false);
            setCreated({ name: key.name, key: key.key });
            refresh();
          }}
        />
      )}
      <KeyCreatedDialog created={created} onClose={() => setCreated(null)} />
      <RevokeKeyDialog apiKey={revoking} onClose={() => setRevoking(null)} onConfirm={revoke} />
      <Toasts />
    </div>
  );
}

function KeyTable({ items, currentKeyId, onRevoke }: { items: ApiKeyView[]; currentKeyId: string | undefined; onRevoke(k: ApiKeyView): void }) {
  if (!items.length) return <p className="card empty-list muted">No keys.</p>;
  return (
    <table className="keys-table card" data-testid="key-list">
      <thead>
        <tr>
          <th>Name</th>
          <th>Role</th>
          <th>Key</th>
          <th>Last used</th>
          <th>Expires</th>
          <th>Created</th>
          <th aria-label="Actions" />
        </tr>
      </thead>
      <tbody>
        {items.map((k) => (
          <tr key={k.id} data-testid={`key-${k.id}`} data-name={k.name}>
            <td>
              <KeyRound size={14} aria-hidden /> {k.name}
              {k.id === currentKeyId && <span className="badge badge-info keys-current">this key</span>}
            </td>
            <td>
              <span className="badge badge-accent" data-testid="key-role">{k.role}</span>
            </td>
            <td>
              <code data-testid="key-prefix">{k.prefix}…</code>
            </td>
            <td className="muted" data-testid="key-last-used">{k.lastUsedAt ? new Date(k.lastUsedAt).toLocaleString() : 'Never'}</td>
            <td className="muted" data-testid="key-expires">{expiryLabel(k.expiresAt)}</td>
            <td className="muted">{new Date(k.createdAt).toLocaleString()}</td>
            <td>
              <button
                type="button"
                className="btn btn-sm btn-danger"
                onClick={() => onRevoke(k)}
                disabled={k.id === currentKeyId}
                title={k.id === currentKeyId ? 'The studio uses this key: revoking it would lock the studio out' : undefined}
                data-testid="revoke-key"
              >
                <Trash2 size={12} /> Revoke
              </button>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
