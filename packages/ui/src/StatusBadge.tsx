const BADGE: Record<string, string> = { succeeded: 'badge-success', failed: 'badge-danger', waiting: 'badge-warning', running: 'badge-info' };

/** A run's or step's status as a coloured word (queued, running, waiting, succeeded, failed, skipped, cancelled...). */
export function StatusBadge({ status }: { status: string }) {
  return (
    <span className={`badge ${BADGE[status] ?? ''}`} data-testid="status-badge" data-status={status}>
      {status}
    </span>
  );
}
