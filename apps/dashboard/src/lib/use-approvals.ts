'use client';
import type { WaitingApprovalItem } from '@weft/workflow-schema';
import { useCallback, useEffect, useState } from 'react';
import { api, errorMessage } from './api';
import type { WaitingApproval } from './run-steps';

/** An approval with the workflow it belongs to. */
export type InboxItem = WaitingApprovalItem;

/**
 * The org's waiting approvals: those of its newest `runs` waiting runs (a run waiting on a delay
 * has none), in one call (`GET /v1/approvals`).
 */
export function useWaitingApprovals(runs = 50): { items: InboxItem[] | null; error: string | null; more: boolean; remove: (a: WaitingApproval) => void } {
  const [items, setItems] = useState<InboxItem[] | null>(null);
  const [more, setMore] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(async () => {
    try {
      const page = await api.listWaitingApprovals({ limit: runs });
      setItems(page.items);
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
