'use client';
import { api } from '../lib/api';
import { when } from '../lib/format';
import { usePage } from '../lib/use-page';
import { EmptyState, ErrorNote } from './EmptyState';
import { PageHeader } from './PageHeader';

/** The org's API keys that are not revoked (metadata only: a key is shown once, when created). */
export function ApiKeyList() {
  const { items: keys, error } = usePage(() => api.listApiKeys({ limit: 200 }));
  return (
    <>
      <PageHeader title="API keys" sub="Keys that call the Weft API for your org, with their role." />
      <ErrorNote message={error} />
      {keys?.length === 0 && <EmptyState title="No API keys">Create one with <code>POST /v1/api-keys</code>.</EmptyState>}
      {!!keys?.length && (
        <table className="table">
          <thead><tr><th scope="col">Name</th><th scope="col">Prefix</th><th scope="col">Role</th><th scope="col">Last used</th><th scope="col">Expires</th></tr></thead>
          <tbody>
            {keys.map((k) => (
              <tr key={k.id}><td>{k.name}</td><td className="mono">{k.prefix}…</td><td>{k.role}</td><td>{when(k.lastUsedAt)}</td><td>{k.expiresAt ? when(k.expiresAt) : 'never'}</td></tr>
            ))}
          </tbody>
        </table>
      )}
      <p className="muted small">Planned here: create and revoke keys (with the accounts work&apos;s sign-in).</p>
    </>
  );
}
