'use client';
import { WeftApiError } from '@weft/sdk';
import type { Secret } from '@weft/workflow-schema';
import { useState } from 'react';
import { api, errorMessage } from '../../lib/api';

/** The API's issues by field (`body.name` → `name`), to show each under its input. */
function fieldErrors(err: unknown): Record<string, string> {
  if (!(err instanceof WeftApiError)) return {};
  return Object.fromEntries(err.issues.map((i) => [i.path.replace(/^body\./, ''), i.message]));
}

/**
 * Creates a secret (name, value, description) or gives one a new value (`mode="rotate"`: a new
 * version). The value field is a password field, cleared once saved: it is never shown again.
 */
export function SecretForm({ mode, name: fixedName, onSaved, onCancel }: { mode: 'create' | 'rotate'; name?: string; onSaved(s: Secret): void; onCancel?(): void }) {
  const [name, setName] = useState(fixedName ?? '');
  const [value, setValue] = useState('');
  const [description, setDescription] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    setBusy(true);
    setErrors({});
    setError(null);
    try {
      const saved = mode === 'create'
        ? await api.createSecret({ name, value, ...(description ? { description } : {}) })
        : await api.updateSecret(fixedName!, { value });
      setValue('');
      setName('');
      setDescription('');
      onSaved(saved);
    } catch (err) {
      setErrors(fieldErrors(err));
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };
  const id = (f: string) => `secret-${mode}-${fixedName ?? 'new'}-${f}`;
  return (
    <form className={mode === 'create' ? 'stack-form' : 'inline-form'} onSubmit={(e) => { e.preventDefault(); void submit(); }} data-testid={`secret-${mode}-form`}>
      {mode === 'create' && (
        <div className="field">
          <label className="field-label" htmlFor={id('name')}>Name</label>
          <input id={id('name')} className="input mono" value={name} onChange={(e) => setName(e.target.value.toUpperCase())} placeholder="GITHUB_TOKEN" required aria-invalid={!!errors.name} aria-describedby={errors.name ? id('name-error') : undefined} autoComplete="off" data-testid="secret-name" />
          {errors.name && <span className="field-error" id={id('name-error')}>{errors.name}</span>}
        </div>
      )}
      <div className="field">
        <label className="field-label" htmlFor={id('value')}>{mode === 'create' ? 'Value' : `New value of ${fixedName}`}</label>
        <input id={id('value')} className="input mono" type="password" value={value} onChange={(e) => setValue(e.target.value)} required autoComplete="new-password" aria-invalid={!!errors.value} aria-describedby={id('value-help')} data-testid="secret-value" />
        <span className="field-help small muted" id={id('value-help')}>{errors.value ?? 'Write-only: stored encrypted, never shown again.'}</span>
      </div>
      {mode === 'create' && (
        <div className="field">
          <label className="field-label" htmlFor={id('description')}>Description <span className="muted">(optional)</span></label>
          <input id={id('description')} className="input" value={description} onChange={(e) => setDescription(e.target.value)} data-testid="secret-description" />
        </div>
      )}
      {error && <p className="error-note" role="alert">{error}</p>}
      <div className="row-buttons">
        <button type="submit" className="btn btn-primary btn-sm" disabled={busy} data-testid={`secret-${mode}-submit`}>{mode === 'create' ? 'Create secret' : 'Save new version'}</button>
        {onCancel && <button type="button" className="btn btn-sm" onClick={onCancel}>Cancel</button>}
      </div>
    </form>
  );
}
