'use client';
import { useCallback, useEffect, useState } from 'react';
import { api, errorMessage } from './api';
import { waitingApprovals, type WaitingApproval } from './run-steps';

/** An approval with the workflow it belongs to. */
export type InboxItem = WaitingApproval & { workflowId: string };

/**
 * The org's waiting approvals: the runs in status `waiting` (newest first, `runs` of them at most),
 * each read for its steps that wait with a prompt (a run waiting on a delay has none).
 */
export function useWaitingApprovals(runs = 50): { items: InboxItem[] | null; error: string | null; more: boolean; remove: (a: WaitingApproval) => void } {
  const [items, setItems] = useState<InboxItem[] | null>(null);
  const [more, setMore] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(async () => {
    try {
      const page = await api.listRuns({ status: 'waiting', limit: runs });
      const full = await Promise.all(page.items.map((r) => api.getRun(r.id).catch(() => null)));
      setItems(full.flatMap((r) => (r ? waitingApprovals(r).map((a) => ({ ...a, workflowId: r.workflowId })) : [])));
      setMore(page.nextCursor !== null);
      setError(null);
    } catch (err) {
      setError(`The approvals could not be loaded: ${errorMessage(err)}`);
    }
  }, [runs]);
  useEffect(() => {
    void load();
  }, [load]);
  const remove = (a: WaitingApproval) => setItems((list) => list?.filter((i) => i.runId !== a.runId || i.nodeId !== a.nodeId) ?? null);
  return { items, error, more, remove };
}
