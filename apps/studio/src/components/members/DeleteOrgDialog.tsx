'use client';
import type { Me } from '@weft/workflow-schema';
import { useState } from 'react';
import { api } from '../../lib/api';
import { useSubmit } from '../../lib/use-submit';
import { Dialog } from '../Dialog';

/** Owners only: typing the org's slug confirms; the API checks it again (and the role). */
export function DeleteOrgDialog({ me, open, onClose, onDeleted }: { me: Me; open: boolean; onClose(): void; onDeleted(): void }) {
  const [typed, setTyped] = useState('');
  const { busy, error, setError, run } = useSubmit();
  const close = () => {
    setTyped('');
    setError(null);
    onClose();
  };
  return (
    <Dialog
      title={`Delete ${me.org.name}?`}
      open={open}
      onClose={close}
      testId="delete-org-dialog"
      cancel
      footer={
        <button
          type="button"
          className="btn btn-danger"
          disabled={busy || typed !== me.org.slug}
          data-testid="confirm-delete-org"
          onClick={() => void run(async () => (await api.deleteOrg(me.org.id, typed), onDeleted()))}
        >
          Delete this org
        </button>
      }
    >
      <p>
        Every API key of the org stops working at once, every member loses access, its secrets are destroyed and its live runs are cancelled. This cannot be
        undone.
      </p>
      <label className="field">
        <span className="field-label">
          Type <code>{me.org.slug}</code> to confirm
        </span>
        <input className="input" value={typed} onChange={(e) => setTyped(e.target.value)} data-testid="delete-org-confirm" />
      </label>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
    </Dialog>
  );
}
