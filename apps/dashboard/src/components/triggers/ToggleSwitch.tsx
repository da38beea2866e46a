'use client';
import { useState } from 'react';

/** An on/off switch (role switch) whose change is a call: disabled while it runs. */
export function ToggleSwitch({ on, label, onToggle, testId }: { on: boolean; label: string; onToggle(): Promise<void>; testId: string }) {
  const [busy, setBusy] = useState(false);
  return (
    <button
      type="button"
      role="switch"
      aria-checked={on}
      aria-label={`${label}: ${on ? 'enabled' : 'disabled'}`}
      title={on ? 'Enabled. Click to disable.' : 'Disabled. Click to enable.'}
      className={`switch${on ? ' on' : ''}`}
      disabled={busy}
      onClick={async () => {
        setBusy(true);
        try {
          await onToggle();
        } finally {
          setBusy(false);
        }
      }}
      data-testid={testId}
    >
      <span className="switch-knob" />
    </button>
  );
}
