'use client';
import { ROLES, roleCovers, type CreatedApiKey, type Role } from '@weft/workflow-schema';
import { useState } from 'react';
import { api } from '../../lib/api';
import { useSubmit } from '../../lib/use-submit';
import { Dialog } from '../Dialog';
import { ROLE_HINTS } from '../roles';
import { EXPIRY_CHOICES, expiresAtOf, type ExpiryChoice } from './expiry';

interface Props {
  open: boolean;
  /** The role of the studio's key: a new key never holds more rights (the API refuses). */
  myRole: string;
  onClose(): void;
  onCreated(key: CreatedApiKey): void;
}

/** Name, role and expiry of a new key; the API's refusals are shown on the form. */
export function CreateKeyDialog({ open, myRole, onClose, onCreated }: Props) {
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('viewer');
  const [expiry, setExpiry] = useState<ExpiryChoice>('90');
  const [date, setDate] = useState('');
  const { busy, error, setError, run } = useSubmit();
  const expires = expiresAtOf(expiry, date);

  const close = () => {
    setName('');
    setRole('viewer');
    setExpiry('90');
    setDate('');
    setError(null);
    onClose();
  };
  const submit = async () => {
    if (!name.trim() || expires.error) return;
    await run(async () => {
      const key = await api.createApiKey({ name: name.trim(), role, ...(expires.expiresAt ? { expiresAt: expires.expiresAt } : {}) });
      setName('');
      onCreated(key);
    });
  };

  return (
    <Dialog
      title="New API key"
      open={open}
      onClose={close}
      testId="create-key-dialog"
      cancel
      footer={
        <button type="submit" form="create-key-form" className="btn btn-primary" disabled={busy || !name.trim() || Boolean(expires.error)} data-testid="create-key">
          Create key
        </button>
      }
    >
      <form
        id="create-key-form"
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <label className="field">
          <span className="field-label">
            Name <span className="req">*</span>
          </span>
          <input className="input" value={name} onChange={(e) => setName(e.target.value)} maxLength={200} autoFocus placeholder="e.g. CI deploys" data-testid="key-name" />
        </label>
        <label className="field">
          <span className="field-label">Role</span>
          <select className="input" value={role} onChange={(e) => setRole(e.target.value as Role)} data-testid="key-role-select">
            {ROLES.map((r) => (
              <option key={r} value={r} disabled={!roleCovers(myRole, r)}>
                {r}: {ROLE_HINTS[r]}
              </option>
            ))}
          </select>
          <span className="field-help">A key never holds more rights than the key that creates it.</span>
        </label>
        <label className="field">
          <span className="field-label">Expires</span>
          <select className="input" value={expiry} onChange={(e) => setExpiry(e.target.value as ExpiryChoice)} data-testid="key-expiry">
            {EXPIRY_CHOICES.map((c) => (
              <option key={c.value} value={c.value}>
                {c.label}
              </option>
            ))}
          </select>
        </label>
        {expiry === 'date' && (
          <label className="field">
            <span className="field-label">Date</span>
            <input className="input" type="date" value={date} onChange={(e) => setDate(e.target.value)} data-testid="key-expiry-date" />
            {expires.error && <span className="field-error">{expires.error}</span>}
          </label>
        )}
        {error && (
          <p className="field-error" role="alert" data-testid="create-key-error">
            {error}
          </p>
        )}
      </form>
    </Dialog>
  );
}
