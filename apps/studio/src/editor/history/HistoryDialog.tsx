'use client';
import { VersionHistory } from '@weft/ui/version-history';
import { useState } from 'react';
import { Dialog } from '../../components/Dialog';
import { toast } from '../../components/toast';
import { api } from '../../lib/api';
import { watchRun } from '../run/run-actions';
import { useEditor } from '../store';
import { RecentRuns } from './RecentRuns';

/** The workflow's history: its recent runs (reopened on the canvas) and its versions (diff, roll back). */
export function HistoryDialog({ open, onClose }: { open: boolean; onClose(): void }) {
  const workflowId = useEditor((s) => s.workflowId);
  const [tab, setTab] = useState<'runs' | 'versions'>('runs');
  return (
    <Dialog title="History" open={open} onClose={onClose} width={640} testId="history-dialog">
      <div role="tablist" className="tabs" aria-label="History">
        <button role="tab" type="button" className="tab" aria-selected={tab === 'runs'} onClick={() => setTab('runs')} data-testid="history-runs">
          Runs
        </button>
        <button role="tab" type="button" className="tab" aria-selected={tab === 'versions'} onClick={() => setTab('versions')} data-testid="history-versions">
          Versions
        </button>
      </div>
      {open && tab === 'runs' && (
        <RecentRuns
          workflowId={workflowId}
          onOpen={(id) => {
            watchRun(id);
            onClose();
          }}
        />
      )}
      {open && tab === 'versions' && (
        <VersionHistory client={api} workflowId={workflowId} withDraft onRolledBack={(v) => toast('success', `Rolled back: published version ${v.version}`)} />
      )}
    </Dialog>
  );
}
