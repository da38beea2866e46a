'use client';
import type { Page } from '@weft/sdk';
import { useEffect, useState } from 'react';
import { errorMessage } from './api';

/** The first page of a list, read once: its items (null while loading) and the error, if any. */
export function usePage<T>(read: () => Promise<Page<T>>): { items: T[] | null; error: string | null } {
  const [items, setItems] = useState<T[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    read().then(
      (p) => live && setItems(p.items),
      (err) => live && setError(errorMessage(err)),
    );
    return () => {
      live = false;
    };
    // `read` is a fresh closure each render; the list is read once, on mount.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  return { items, error };
}
