'use client';
import type { ApiKeyView } from '@weft/workflow-schema';
import { useState } from 'react';
import { Dialog } from '../Dialog';

/** Asks before revoking: a revoked key stops working at once, everywhere, and cannot come back. */
export function RevokeKeyDialog({ apiKey, onClose, onConfirm }: { apiKey: ApiKeyView | null; onClose(): void; onConfirm(k: ApiKeyView): Promise<void> }) {
  const [busy, setBusy] = useState(false);
  return (
    <Dialog
      title="Revoke this key?"
      open={apiKey !== null}
      onClose={onClose}
      testId="revoke-key-dialog"
      cancel
      footer={
        <button
          type="button"
          className="btn btn-danger"
          disabled={busy}
          data-testid="confirm-revoke"
          onClick={() => {
            if (!apiKey) return;
            setBusy(true);
            void onConfirm(apiKey).finally(() => setBusy(false));
          }}
        >
          Revoke
        </button>
      }
    >
      <p>
        <strong>{apiKey?.name}</strong> (<code>{apiKey?.prefix}…</code>, {apiKey?.role}) stops working at once on every gateway. Scripts using it will get
        401. This cannot be undone.
      </p>
    </Dialog>
  );
}
