'use client';
import type { Connection, ConnectionProvider } from '@weft/workflow-schema';
import { Link2 } from 'lucide-react';
import { createContext, useEffect, useState } from 'react';
import { errorMessage } from '../../lib/api';
import { authorizeUrl, connectAction, connectionChoices, connectOutcome, listConnections, returnUrlOf } from '../../lib/connections';
import { flushDraft } from '../use-autosave';

/** The provider the inspected node's `connection` must be of (CONNECTION_NODE_PROVIDERS), set by the inspector. */
export const NodeProviderContext = createContext<ConnectionProvider | undefined>(undefined);

const STATUS_TEXT: Record<string, string> = { connected: 'connected', pending: 'not connected yet', needs_reconnect: 'needs reconnecting', missing: 'no such connection' };

interface Props {
  id: string;
  provider: ConnectionProvider;
  value: string | undefined;
  onChange(v: string | undefined): void;
  invalid: boolean;
  describedBy: string | undefined;
}

/**
 * A node's `connection` field: one of the org's connections of the node's provider (with its
 * status), and **Connect** / **Reconnect** for one that is not connected, which saves the draft
 * and sends the browser through the provider's consent page and back to this page
 * (GET /v1/connections/:id/authorize with returnTo = this URL). Connections are created on the
 * dashboard's Connections page (their app's client id and secret).
 */
export function ConnectionPicker({ id, provider, value, onChange, invalid, describedBy }: Props) {
  const [all, setAll] = useState<Connection[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [outcome] = useState(() => (typeof window === 'undefined' ? null : connectOutcome(window.location.href)));
  useEffect(() => {
    let live = true;
    listConnections().then(
      (items) => live && setAll(items),
      (err) => live && setError(errorMessage(err)),
    );
    return () => {
      live = false;
    };
  }, []);
  const choices = all ? connectionChoices(all, provider, value) : [];
  const chosen = choices.find((c) => c.name === value);
  const action = connectAction(chosen);
  const justConnected = outcome && chosen?.id === outcome.connectionId ? outcome : null;
  const connect = async () => {
    if (!chosen?.id) return;
    setBusy(true);
    setError(null);
    try {
      await flushDraft();
      window.location.assign(await authorizeUrl(chosen.id, returnUrlOf(window.location.href)));
    } catch (err) {
      setError(errorMessage(err));
      setBusy(false);
    }
  };
  return (
    <div className="connection-picker" data-testid="connection-picker">
      <div className="row">
        <select id={id} className="select" value={value ?? ''} aria-invalid={invalid} aria-describedby={describedBy} disabled={!all} onChange={(e) => onChange(e.target.value || undefined)}>
          <option value="">{all ? (choices.length ? '— pick a connection —' : `No ${provider} connection yet`) : 'Loading connections…'}</option>
          {choices.map((c) => (
            <option key={c.name} value={c.name}>
              {c.name} ({STATUS_TEXT[c.status]}{c.account ? `, ${c.account}` : ''})
            </option>
          ))}
        </select>
        {action && (
          <button type="button" className="btn btn-sm" onClick={() => void connect()} disabled={busy} data-testid="connect-connection">
            <Link2 size={14} /> {action === 'connect' ? 'Connect' : 'Reconnect'}
          </button>
        )}
      </div>
      {justConnected && (
        <span className={justConnected.status === 'connected' ? 'field-help' : 'field-error'} role="status">
          {justConnected.status === 'connected' ? `Connected ${chosen!.name}.` : `Connecting ${chosen!.name} failed${justConnected.reason ? `: ${justConnected.reason}` : ''}.`}
        </span>
      )}
      {error && <span className="field-error" role="alert">Connections: {error}</span>}
      {all && choices.length === 0 && <span className="field-help">Create a {provider} connection on the dashboard&apos;s Connections page, then pick it here.</span>}
    </div>
  );
}
