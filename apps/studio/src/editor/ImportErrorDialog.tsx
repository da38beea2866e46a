'use client';
import type { Issue } from '@weft/workflow-schema';
import { Dialog } from '../components/Dialog';

/** Why an import was refused; nothing was changed. */
export function ImportErrorDialog({ error, onClose }: { error: { title: string; issues: Issue[]; file?: string } | null; onClose(): void }) {
  return (
    <Dialog
      title="Import failed"
      open={error !== null}
      onClose={onClose}
      testId="import-error"
      footer={
        <button type="button" className="btn btn-primary" onClick={onClose}>
          OK
        </button>
      }
    >
      {error && (
        <>
          <p>
            <strong>{error.title}</strong>
            {error.file ? <span className="muted"> ({error.file})</span> : null}. Nothing was changed.
          </p>
          <ul className="problem-list">
            {error.issues.slice(0, 20).map((i, k) => (
              <li key={k}>
                {(i.nodeId || i.path) && <span className="mono">{i.nodeId ?? i.path}: </span>}
                {i.message}
              </li>
            ))}
          </ul>
          {error.issues.length > 20 && <p className="muted">…and {error.issues.length - 20} more.</p>}
        </>
      )}
    </Dialog>
  );
}
