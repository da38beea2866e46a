'use client';
import type { Run } from '@weft/workflow-schema';
import { GitCompare } from 'lucide-react';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { api, errorMessage } from '../../lib/api';

/** Opens the comparison of this run (B) with the run of the same workflow created just before it (A). */
export function CompareWithPrevious({ run }: { run: Run }) {
  const router = useRouter();
  const [note, setNote] = useState<string | null>(null);
  const open = async () => {
    try {
      const page = await api.listRuns({ workflowId: run.workflowId, cursor: run.id, limit: 1 });
      const prev = page.items[0];
      if (prev) router.push(`/runs/compare?a=${prev.id}&b=${run.id}`);
      else setNote('This is the first run of its workflow: select two runs in Runs to compare others.');
    } catch (err) {
      setNote(errorMessage(err));
    }
  };
  return (
    <>
      <button type="button" className="btn" onClick={() => void open()} data-testid="compare-previous" title="Compare with the run of this workflow before it">
        <GitCompare size={14} aria-hidden /> Compare with previous
      </button>
      {note && <span className="small muted" role="status">{note}</span>}
    </>
  );
}
