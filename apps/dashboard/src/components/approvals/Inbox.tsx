'use client';
import Link from 'next/link';
import { useState } from 'react';
import { useWaitingApprovals } from '../../lib/use-approvals';
import { useWorkflows } from '../../lib/use-workflows';
import { ApprovalCard } from '../run/ApprovalCard';
import { EmptyState, ErrorNote } from '../EmptyState';
import { PageHeader } from '../PageHeader';
import { shortId } from '../../lib/format';

/** Every approval the org's runs wait on, newest run first: approve or reject each. */
export function Inbox() {
  const { items, error, more, remove } = useWaitingApprovals();
  const { nameOf } = useWorkflows();
  const [notice, setNotice] = useState<string | null>(null);
  return (
    <>
      <PageHeader title="Approvals" sub="Runs waiting for a person's decision. The run continues by the approved or rejected path." />
      <ErrorNote message={error} />
      {notice && <p className="notice" role="status" data-testid="inbox-notice">{notice}</p>}
      {items === null && !error && <div className="skeleton" style={{ height: 120 }} aria-label="Loading approvals" />}
      {items?.length === 0 && (
        <EmptyState title="Nothing waits for you">
          A run waits here when it reaches a <strong>Wait for approval</strong> node. Add one to a workflow in the studio, then run it.
        </EmptyState>
      )}
      <div className="inbox" data-testid="inbox">
        {items?.map((a) => (
          <div key={`${a.runId}/${a.nodeId}`} className="inbox-item">
            <p className="muted small">
              {nameOf(a.workflowId)} · <Link href={`/runs/${a.runId}`} className="mono">run {shortId(a.runId)}</Link>
            </p>
            <ApprovalCard approval={a} onDone={(d) => (remove(a), setNotice(`${d === 'approve' ? 'Approved' : 'Rejected'}: ${a.prompt}`))} />
          </div>
        ))}
      </div>
      {more && <p className="muted">Showing the approvals of the 50 newest waiting runs.</p>}
    </>
  );
}
