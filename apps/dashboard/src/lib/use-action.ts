'use client';
import { useState } from 'react';
import { errorMessage } from './api';

/**
 * A page action's state: `run(work)` marks it busy, clears the last error, does the work and then
 * `after` (e.g. reload the list), and keeps the error as a sentence (`describe`) if any step fails.
 */
export function useAction(after?: () => Promise<unknown>, describe: (err: unknown) => string = errorMessage) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = async (work: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await work();
      await after?.();
    } catch (err) {
      setError(describe(err));
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, run, setError };
}
