'use client';
import type { Connection } from '@weft/workflow-schema';
import { useSearchParams } from 'next/navigation';
import { Suspense, useEffect, useState } from 'react';
import { deleteConnection, listConnections, startConnecting } from '../../lib/connections';
import { when } from '../../lib/format';
import { EmptyState, ErrorNote } from '../EmptyState';
import { PageHeader } from '../PageHeader';
import { NewConnectionForm } from './NewConnectionForm';

const STATUS_TEXT: Record<Connection['status'], string> = { pending: 'not connected', connected: 'connected', needs_reconnect: 'needs reconnecting' };

/** What the OAuth callback said when it sent the browser back here (`?connection=…&status=…&reason=…`). */
function CallbackOutcome() {
  const q = useSearchParams();
  const status = q.get('status');
  if (!status) return null;
  return status === 'connected'
    ? <p className="notice" role="status" data-testid="connect-outcome">Connected.</p>
    : <p className="error-note" role="alert" data-testid="connect-outcome">Connecting failed: {q.get('reason') ?? 'unknown error'}.</p>;
}

/** The org's OAuth 2.0 connections: status, and a Connect button that runs the provider's consent flow. */
export function ConnectionList() {
  const [items, setItems] = useState<Connection[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const reload = () => listConnections().then(setItems, (err: unknown) => setError(err instanceof Error ? err.message : String(err)));
  useEffect(() => void reload(), []);
  const act = (fn: () => Promise<unknown>) => fn().catch((err: unknown) => setError(err instanceof Error ? err.message : String(err)));
  return (
    <>
      <PageHeader title="Connections" sub="OAuth accounts (Google, Slack, …) your workflows use by name. Weft keeps their tokens encrypted and refreshes them; they never reach the browser." />
      <Suspense fallback={null}><CallbackOutcome /></Suspense>
      <ErrorNote message={error} />
      {items?.length === 0 && <EmptyState title="No connections yet">Create one below, then connect it to an account.</EmptyState>}
      {!!items?.length && (
        <table className="table" data-testid="connections">
          <thead><tr><th scope="col">Name</th><th scope="col">Provider</th><th scope="col">Status</th><th scope="col">Account</th><th scope="col">Token expires</th><th scope="col" /></tr></thead>
          <tbody>
            {items.map((c) => (
              <tr key={c.id} data-testid={`connection-${c.name}`}>
                <td className="mono">{c.name}</td>
                <td>{c.provider}</td>
                <td data-testid="connection-status" title={c.statusReason ?? undefined}>{STATUS_TEXT[c.status]}</td>
                <td>{c.account}</td>
                <td>{c.expiresAt ? when(c.expiresAt) : '—'}</td>
                <td className="row-buttons">
                  <button type="button" className="btn btn-sm btn-primary" onClick={() => void act(() => startConnecting(c.id))}>{c.status === 'connected' ? 'Reconnect' : 'Connect'}</button>
                  <button type="button" className="btn btn-sm" onClick={() => window.confirm(`Delete connection ${c.name} and its tokens?`) && void act(() => deleteConnection(c.id).then(reload))}>Delete</button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <NewConnectionForm onCreated={() => void reload()} />
    </>
  );
}
