'use client';
import { useCallback, useState } from 'react';
import { errorMessage, issuesOf } from './api';

/** The text of a failed call: its node-precise issues (`path: message; …`) when it has any, else its message. */
export function problemText(err: unknown): string {
  const issues = issuesOf(err);
  return issues.length ? issues.map((i) => `${i.path}: ${i.message}`).join('; ') : errorMessage(err);
}

/** A form's submission: busy while it runs, and the server's refusal as text. */
export function useSubmit() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = useCallback(async (fn: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await fn();
    } catch (err) {
      setError(problemText(err));
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, error, setError, run };
}
