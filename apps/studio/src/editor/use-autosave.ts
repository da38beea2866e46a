import { useCallback, useEffect, useRef, useState } from 'react';
import { api, errorMessage } from '../lib/api';
import { toDefinition } from '../lib/graph';
import { csrfHeaderNow } from '@weft/ui/session';
import { useEditor } from './store';

export type SaveState = 'saved' | 'dirty' | 'saving' | 'error';
const DEBOUNCE_MS = 600;

/** The open editor's save-now (set while an editor is mounted): what leaves the page on purpose (the OAuth connect flow) saves first. */
let flushOpen: (() => Promise<void>) | undefined;

/** Saves the open editor's draft now, if one is open; resolves when done. */
export const flushDraft = (): Promise<void> => flushOpen?.() ?? Promise.resolve();

/**
 * Saves the draft shortly after every change (never two saves at once; the newest state wins),
 * and puts the API's `problems[]` on the nodes. `flush()` saves now and resolves when done.
 */
export function useAutosave() {
  const revision = useEditor((s) => s.revision);
  const [state, setState] = useState<SaveState>('saved');
  const [error, setError] = useState<string | null>(null);
  const saved = useRef(0);
  const inFlight = useRef<Promise<void> | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  const save = useCallback(async (): Promise<void> => {
    clearTimeout(timer.current);
    if (inFlight.current) {
      await inFlight.current;
      return save();
    }
    const s = useEditor.getState();
    if (s.revision === saved.current) return;
    const rev = s.revision;
    setState('saving');
    inFlight.current = api
      .saveDraft(s.workflowId, toDefinition(s))
      .then((answer) => {
        saved.current = rev;
        useEditor.getState().setProblems(answer.problems);
        setError(null);
        const newer = useEditor.getState().revision !== rev;
        setState(newer ? 'dirty' : 'saved');
        if (newer) timer.current = setTimeout(() => void save(), DEBOUNCE_MS);
      })
      .catch((err: unknown) => {
        setError(errorMessage(err));
        setState('error');
      })
      .finally(() => {
        inFlight.current = null;
      });
    await inFlight.current;
  }, []);

  useEffect(() => {
    if (revision === saved.current) return;
    setState((st) => (st === 'saving' ? st : 'dirty'));
    clearTimeout(timer.current);
    timer.current = setTimeout(() => void save(), DEBOUNCE_MS);
  }, [revision, save]);

  useEffect(() => {
    const onLeave = (e: BeforeUnloadEvent) => {
      const s = useEditor.getState();
      if (s.revision === saved.current) return;
      // Last chance: a keepalive request outlives the page.
      void fetch(`/api/weft/v1/workflows/${s.workflowId}/draft`, { method: 'PUT', keepalive: true, headers: { 'content-type': 'application/json', ...csrfHeaderNow() }, body: JSON.stringify({ definition: toDefinition(s) }) });
      e.preventDefault();
    };
    window.addEventListener('beforeunload', onLeave);
    return () => window.removeEventListener('beforeunload', onLeave);
  }, []);

  /** Marks the loaded state as saved (nothing to write yet). */
  const reset = useCallback(() => {
    saved.current = useEditor.getState().revision;
    setState('saved');
  }, []);

  useEffect(() => {
    flushOpen = save;
    return () => {
      if (flushOpen === save) flushOpen = undefined;
    };
  }, [save]);

  return { state, error, flush: save, reset };
}
