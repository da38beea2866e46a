'use client';
import type { Connection, ConnectionProvider } from '@weft/workflow-schema';
import { useState, type FormEvent } from 'react';
import { createConnection, DEFAULT_SCOPES } from '../../lib/connections';
import { ErrorNote } from '../EmptyState';

/** Registers an OAuth app's credentials as a pending connection (the client secret goes to the vault, never back). */
export function NewConnectionForm({ onCreated }: { onCreated: (c: Connection) => void }) {
  const [provider, setProvider] = useState<ConnectionProvider>('google');
  const [scopes, setScopes] = useState(DEFAULT_SCOPES.google);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    setBusy(true);
    setError(null);
    try {
      const created = await createConnection({
        provider,
        name: String(f.get('name') ?? ''),
        clientId: String(f.get('clientId') ?? ''),
        clientSecret: String(f.get('clientSecret') ?? ''),
        scopes: scopes.split(/[\s,]+/).filter(Boolean),
      });
      e.currentTarget?.reset();
      onCreated(created);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="card" onSubmit={(e) => void submit(e)} data-testid="new-connection">
      <h2>New connection</h2>
      <label className="field">
        <span className="field-label">Provider</span>
        <select name="provider" value={provider} onChange={(e) => { const p = e.target.value as ConnectionProvider; setProvider(p); setScopes(DEFAULT_SCOPES[p]); }}>
          <option value="google">Google</option>
          <option value="slack">Slack</option>
          <option value="generic">OAuth 2.0 (generic)</option>
        </select>
      </label>
      <label className="field">
        <span className="field-label">Name</span>
        <input name="name" required pattern="[A-Za-z][A-Za-z0-9_\-]{0,63}" placeholder="team-slack" />
        <span className="field-help">Nodes use it as <code>connection: &quot;name&quot;</code>.</span>
      </label>
      <label className="field">
        <span className="field-label">Client id</span>
        <input name="clientId" required autoComplete="off" />
      </label>
      <label className="field">
        <span className="field-label">Client secret</span>
        <input name="clientSecret" type="password" required autoComplete="new-password" />
        <span className="field-help">Encrypted at rest; never shown again.</span>
      </label>
      <label className="field">
        <span className="field-label">Scopes</span>
        <input name="scopes" value={scopes} onChange={(e) => setScopes(e.target.value)} />
      </label>
      <ErrorNote message={error} />
      <button type="submit" className="btn btn-primary" disabled={busy}>Create</button>
    </form>
  );
}
