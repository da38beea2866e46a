'use client';
import { Check, Copy } from 'lucide-react';
import { useEffect, useState } from 'react';
import { Dialog } from '../Dialog';

/** The new key, shown this once, with a copy button. */
export function KeyCreatedDialog({ created, onClose }: { created: { name: string; key: string } | null; onClose(): void }) {
  const [copied, setCopied] = useState<'no' | 'yes' | 'failed'>('no');
  useEffect(() => setCopied('no'), [created]);
  const copy = async () => {
    if (!created) return;
    try {
      await navigator.clipboard.writeText(created.key);
      setCopied('yes');
    } catch {
      setCopied('failed');
    }
  };
  return (
    <Dialog
      title={`Key "${created?.name ?? ''}" created`}
      open={created !== null}
      onClose={onClose}
      width={560}
      testId="key-created-dialog"
      footer={
        <button type="button" className="btn btn-primary" onClick={onClose} data-testid="key-created-done">
          Done
        </button>
      }
    >
      <p>Copy the key now: it is not shown again (only its hash is stored).</p>
      <div className="key-secret">
        <code data-testid="new-key-value">{created?.key}</code>
        <button type="button" className="btn btn-sm" onClick={() => void copy()} data-testid="copy-key">
          {copied === 'yes' ? <Check size={12} /> : <Copy size={12} />} {copied === 'yes' ? 'Copied' : 'Copy'}
        </button>
      </div>
      {copied === 'failed' && <p className="field-error">The browser refused the clipboard: select the key and copy it.</p>}
    </Dialog>
  );
}
