'use client';
import { useState, type ReactNode } from 'react';

/**
 * A destructive action in two steps, without a modal: the first press asks, "Confirm" does it,
 * "Keep" (or Escape) backs out. Focus moves to the confirmation so a keyboard user lands on it.
 */
export function ConfirmButton({ label, confirm, onConfirm, testId, disabled }: { label: ReactNode; confirm: string; onConfirm(): void | Promise<void>; testId: string; disabled?: boolean }) {
  const [asking, setAsking] = useState(false);
  if (!asking) {
    return (
      <button type="button" className="btn btn-sm btn-danger" onClick={() => setAsking(true)} disabled={disabled} data-testid={testId}>
        {label}
      </button>
    );
  }
  return (
    <span className="row-buttons" role="group" aria-label={confirm} onKeyDown={(e) => e.key === 'Escape' && setAsking(false)}>
      <span className="small">{confirm}</span>
      <button
        type="button"
        className="btn btn-sm btn-danger"
        autoFocus
        onClick={() => {
          setAsking(false);
          void onConfirm();
        }}
        data-testid={`${testId}-confirm`}
      >
        Confirm
      </button>
      <button type="button" className="btn btn-sm" onClick={() => setAsking(false)}>Keep</button>
    </span>
  );
}
