'use client';
import type { CreatedApiKey, Role } from '@weft/workflow-schema';
import { useState } from 'react';
import { api } from '../../lib/api';
import { ROLE_CHOICES } from '../../lib/schema-constants';
import { useAction } from '../../lib/use-action';

/** Expiry choices, in days (0: never). */
const EXPIRIES = [
  { days: 30, label: 'in 30 days' },
  { days: 90, label: 'in 90 days' },
  { days: 365, label: 'in a year' },
  { days: 7, label: 'in 7 days' },
  { days: 0, label: 'never' },
];

/** Name, role and expiry of a new key; the gateway refuses a role above the caller's (shown as the error). */
export function ApiKeyForm({ onCreated }: { onCreated(k: CreatedApiKey): void | Promise<void> }) {
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('operator');
  const [days, setDays] = useState(30);
  const { busy, error, run } = useAction();
  const submit = () => run(async () => {
    const expiresAt = days ? new Date(Date.now() + days * 86_400_000).toISOString() : undefined;
    const created = await api.createApiKey({ name, role, ...(expiresAt ? { expiresAt } : {}) });
    setName('');
    await onCreated(created);
  });
  return (
    <form className="stack-form" onSubmit={(e) => { e.preventDefault(); void submit(); }} data-testid="api-key-form">
      <div className="form-grid">
        <div className="field">
          <label className="field-label" htmlFor="key-name">Name</label>
          <input id="key-name" className="input" value={name} onChange={(e) => setName(e.target.value)} placeholder="CI deploys" required data-testid="api-key-name" />
        </div>
        <div className="field">
          <label className="field-label" htmlFor="key-role">Role</label>
          <select id="key-role" className="select" value={role} onChange={(e) => setRole(e.target.value as Role)} data-testid="api-key-role">
            {ROLE_CHOICES.map((r) => <option key={r} value={r}>{r}</option>)}
          </select>
        </div>
        <div className="field">
          <label className="field-label" htmlFor="key-expiry">Expires</label>
          <select id="key-expiry" className="select" value={days} onChange={(e) => setDays(Number(e.target.value))} data-testid="api-key-expiry">
            {EXPIRIES.map((x) => <option key={x.days} value={x.days}>{x.label}</option>)}
          </select>
        </div>
      </div>
      {error && <p className="error-note" role="alert">{error}</p>}
      <div><button type="submit" className="btn btn-primary btn-sm" disabled={busy} data-testid="api-key-create">Create key</button></div>
    </form>
  );
}
