import type { StepStatus } from '@weft/workflow-schema';
import { Check, CircleDashed, Hand, Loader2, MinusCircle, X } from 'lucide-react';

const LOOK: Record<StepStatus, { label: string; Icon: typeof Check }> = {
  pending: { label: 'Pending', Icon: CircleDashed },
  queued: { label: 'Queued', Icon: CircleDashed },
  running: { label: 'Running', Icon: Loader2 },
  waiting: { label: 'Waiting', Icon: Hand },
  succeeded: { label: 'Succeeded', Icon: Check },
  failed: { label: 'Failed', Icon: X },
  skipped: { label: 'Skipped', Icon: MinusCircle },
  cancelled: { label: 'Cancelled', Icon: MinusCircle },
};

/** A step's status as a small round badge (colour + icon; the word is for screen readers and tooltips). */
export function StatusPill({ status }: { status: StepStatus }) {
  const { label, Icon } = LOOK[status];
  return (
    <span className={`wf-status wf-status-${status}`} title={label} data-testid="node-status">
      <Icon size={12} strokeWidth={3} aria-hidden className={status === 'running' ? 'wf-spin' : undefined} />
      <span className="sr-only">{label}</span>
    </span>
  );
}
