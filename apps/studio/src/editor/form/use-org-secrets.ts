import type { Secret } from '@weft/workflow-schema';
import { useEffect, useState } from 'react';
import { api, errorMessage } from '../../lib/api';

export type OrgSecrets = { state: 'loading' } | { state: 'ready'; secrets: Secret[] } | { state: 'error'; message: string };

/** The org's secrets (names and descriptions only: the API never returns a value), read while `open`. */
export function useOrgSecrets(open: boolean): OrgSecrets {
  const [result, setResult] = useState<OrgSecrets>({ state: 'loading' });
  useEffect(() => {
    if (!open) return;
    let live = true;
    setResult({ state: 'loading' });
    api.listSecrets({ limit: 200 }).then(
      (page) => live && setResult({ state: 'ready', secrets: page.items }),
      (err) => live && setResult({ state: 'error', message: errorMessage(err) }),
    );
    return () => {
      live = false;
    };
  }, [open]);
  return result;
}
