'use client';
import { SECRET_NAME_PATTERN } from '@weft/workflow-schema';
import { useState } from 'react';
import { toast } from '../../components/toast';
import { api, errorMessage } from '../../lib/api';

/**
 * Creates an org secret in place. The value is write-only: it goes to the API once, is dropped
 * from this form as soon as it is sent, and is never shown again (only `{{ secrets.NAME }}` is inserted).
 */
export function CreateSecretForm({ initialName, onCreated, onCancel }: { initialName: string; onCreated(name: string): void; onCancel(): void }) {
  const [name, setName] = useState(initialName.toUpperCase());
  const [value, setValue] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const nameOk = SECRET_NAME_PATTERN.test(name);
  const submit = async () => {
    if (!nameOk || value.length < 4 || busy) return;
    setBusy(true);
    try {
      await api.createSecret({ name, value });
      setValue('');
      toast('success', `Secret ${name} created; its value will not be shown again`);
      onCreated(name);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form
      className="secret-create"
      aria-label="Create a secret"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <label className="field-label" htmlFor="new-secret-name">
        Name
      </label>
      <input id="new-secret-name" className="input mono" autoFocus value={name} onChange={(e) => setName(e.target.value.trim().toUpperCase())} aria-invalid={name !== '' && !nameOk} placeholder="GITHUB_TOKEN" />
      <label className="field-label" htmlFor="new-secret-value">
        Value
      </label>
      <input id="new-secret-value" className="input mono" type="password" autoComplete="off" value={value} onChange={(e) => setValue(e.target.value)} aria-describedby="new-secret-help" />
      <p className="field-help" id="new-secret-help">
        Write-only: stored encrypted, never shown again. At least 4 characters.
      </p>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      <div className="row-actions">
        <button type="button" className="btn btn-sm btn-ghost" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className="btn btn-sm btn-primary" disabled={!nameOk || value.length < 4 || busy} data-testid="create-secret">
          Create and insert
        </button>
      </div>
    </form>
  );
}
