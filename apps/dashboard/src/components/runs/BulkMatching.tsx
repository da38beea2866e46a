'use client';
import { useState } from 'react';
import { api, errorMessage } from '../../lib/api';
import { BULK_MAX, actOnMatching, appliesTo, matchingSentence, type MatchingAction } from '../../lib/bulk';
import { filtersToQuery, type RunFilters } from '../../lib/run-filters';
import { ConfirmButton } from '../ConfirmButton';

const WHICH: Record<MatchingAction, string> = { retry: 'failed or cancelled', cancel: 'queued, running or waiting' };

/**
 * "Retry all matching" / "Cancel all matching": with a filter active, acts on every run it matches
 * (not just those loaded), `POST /v1/runs/bulk` a batch at a time while more match, up to BULK_MAX.
 */
export function BulkMatching({ filters, onDone }: { filters: RunFilters; onDone: (notice: string) => void }) {
  const [progress, setProgress] = useState<string | null>(null);
  const run = async (action: MatchingAction) => {
    const filter = filtersToQuery(filters, new Date());
    setProgress('Working… 0 runs so far');
    try {
      const r = await actOnMatching((limit) => api.bulkRunAction({ action, filter, limit }), (n) => setProgress(`Working… ${n} run${n === 1 ? '' : 's'} so far`));
      onDone(matchingSentence(action, r.done, r.more));
    } catch (err) {
      onDone(`Could not ${action} the matching runs: ${errorMessage(err)}`);
    }
    setProgress(null);
  };
  if (progress) return <span className="small" role="status" data-testid="bulk-matching-progress">{progress}</span>;
  return (
    <>
      {(['retry', 'cancel'] as const).filter((a) => appliesTo(a, filters.status)).map((a) => (
        <ConfirmButton key={a} testId={`bulk-${a}-matching`} label={a === 'retry' ? 'Retry all matching' : 'Cancel all matching'}
          confirm={`${a === 'retry' ? 'Retry' : 'Cancel'} every ${WHICH[a]} run matching these filters (up to ${BULK_MAX})?`}
          onConfirm={() => run(a)} />
      ))}
    </>
  );
}
