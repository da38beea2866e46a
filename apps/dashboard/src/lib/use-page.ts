'use client';
import type { Page } from '@weft/sdk';
import { useCallback, useEffect, useRef, useState } from 'react';
import { errorMessage } from './api';

/**
 * The first page of a list (the question `read` asks on the first render), read on mount: its items (null while loading), the error, if any, and
 * `reload` to read it again (after a change made on the page).
 */
export function usePage<T>(read: () => Promise<Page<T>>): { items: T[] | null; error: string | null; reload(): Promise<void> } {
  const [items, setItems] = useState<T[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  // `read` is a fresh closure each render: the first one is kept (a page's list does not change its question).
  const [first] = useState(() => read);
  const live = useRef(true);
  const reload = useCallback(async () => {
    try {
      const p = await first();
      if (live.current) {
        setItems(p.items);
        setError(null);
      }
    } catch (err) {
      if (live.current) setError(errorMessage(err));
    }
  }, [first]);
  useEffect(() => {
    live.current = true;
    void reload();
    return () => {
      live.current = false;
    };
  }, [reload]);
  return { items, error, reload };
}
