'use client';
import type { Workflow } from '@weft/workflow-schema';
import { Copy, Pencil, Trash2 } from 'lucide-react';
import { useState } from 'react';
import { api, errorMessage } from '../lib/api';
import { Dialog } from './Dialog';
import { toast } from './toast';

type Open = null | 'rename' | 'delete';

/** Rename, duplicate (as a new draft) and delete one workflow of the home list. */
export function WorkflowRowActions({ workflow, onChanged, onDuplicated }: { workflow: Workflow; onChanged(): void; onDuplicated(w: Workflow): void }) {
  const [open, setOpen] = useState<Open>(null);
  const [name, setName] = useState(workflow.name);
  const [busy, setBusy] = useState(false);
  const act = async (what: string, work: () => Promise<void>) => {
    setBusy(true);
    try {
      await work();
      setOpen(null);
    } catch (err) {
      toast('error', `Could not ${what}: ${errorMessage(err)}`);
    } finally {
      setBusy(false);
    }
  };
  const rename = () => act('rename', async () => {
    await api.updateWorkflow(workflow.id, { name: name.trim() });
    onChanged();
  });
  const duplicate = () => act('duplicate', async () => onDuplicated(await api.duplicateWorkflow(workflow.id)));
  const remove = () => act('delete', async () => {
    await api.deleteWorkflow(workflow.id);
    toast('success', `Deleted “${workflow.name}”`);
    onChanged();
  });
  return (
    <span className="wf-row-actions">
      <button type="button" className="icon-btn" aria-label={`Rename ${workflow.name}`} title="Rename" onClick={() => (setName(workflow.name), setOpen('rename'))} data-testid="rename-workflow">
        <Pencil size={14} />
      </button>
      <button type="button" className="icon-btn" aria-label={`Duplicate ${workflow.name}`} title="Duplicate as a new draft" disabled={busy} onClick={() => void duplicate()} data-testid="duplicate-workflow">
        <Copy size={14} />
      </button>
      <button type="button" className="icon-btn" aria-label={`Delete ${workflow.name}`} title="Delete" onClick={() => setOpen('delete')} data-testid="delete-workflow">
        <Trash2 size={14} />
      </button>
      <Dialog
        title="Rename workflow"
        open={open === 'rename'}
        onClose={() => setOpen(null)}
        cancel
        testId="rename-dialog"
        footer={<button type="button" className="btn btn-primary" disabled={!name.trim() || busy} onClick={() => void rename()} data-testid="confirm-rename">Rename</button>}
      >
        <form onSubmit={(e) => (e.preventDefault(), void rename())}>
          <label className="field-label" htmlFor={`rename-${workflow.id}`}>Name</label>
          <input id={`rename-${workflow.id}`} className="input" autoFocus maxLength={200} value={name} onChange={(e) => setName(e.target.value)} data-testid="rename-input" />
        </form>
      </Dialog>
      <Dialog
        title="Delete workflow"
        open={open === 'delete'}
        onClose={() => setOpen(null)}
        cancel
        testId="delete-dialog"
        footer={<button type="button" className="btn btn-danger" disabled={busy} onClick={() => void remove()} data-testid="confirm-delete">Delete</button>}
      >
        <p>
          Delete <strong>{workflow.name}</strong>? Its webhooks and schedules stop starting runs at once. Its past runs stay readable until their retention ends.
        </p>
      </Dialog>
    </span>
  );
}
