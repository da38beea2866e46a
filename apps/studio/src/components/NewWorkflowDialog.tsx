'use client';
import { useState } from 'react';
import { Dialog } from './Dialog';

/** Name (and optional description) of a new, blank workflow. */
export function NewWorkflowDialog({ open, onClose, onCreate }: { open: boolean; onClose(): void; onCreate(name: string, description: string): Promise<void> }) {
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    if (!name.trim() || busy) return;
    setBusy(true);
    await onCreate(name.trim(), description.trim());
    setBusy(false);
  };
  return (
    <Dialog
      title="New workflow"
      open={open}
      onClose={onClose}
      testId="new-workflow-dialog"
      cancel
      footer={
        <button type="button" className="btn btn-primary" disabled={!name.trim() || busy} onClick={() => void submit()} data-testid="create-workflow">
          {busy ? <span className="spinner" /> : null} Create
        </button>
      }
    >
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <div className="field">
          <label className="field-label" htmlFor="wf-name">
            Name <span className="req">*</span>
          </label>
          <input id="wf-name" className="input" autoFocus value={name} maxLength={200} onChange={(e) => setName(e.target.value)} placeholder="e.g. Refund approvals" />
        </div>
        <div className="field">
          <label className="field-label" htmlFor="wf-desc">
            Description
          </label>
          <textarea id="wf-desc" className="textarea" style={{ fontFamily: 'var(--font)', fontSize: 13 }} value={description} maxLength={5000} onChange={(e) => setDescription(e.target.value)} />
        </div>
        <button type="submit" hidden />
      </form>
    </Dialog>
  );
}
