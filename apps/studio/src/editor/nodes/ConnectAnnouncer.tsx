'use client';
import { useConnecting } from '../keyboard-connect';

/** Reads out keyboard connecting (keyboard-connect.ts) and shows it while an output is picked. */
export function ConnectAnnouncer() {
  const { from, message } = useConnecting();
  return (
    <p className={from ? 'connect-hint is-active' : 'connect-hint'} aria-live="polite" data-testid="connect-hint">
      {from ? message : <span className="sr-only">{message}</span>}
    </p>
  );
}
