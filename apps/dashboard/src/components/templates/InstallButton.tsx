'use client';
import { signInAndReturn } from '@weft/ui/return-to';
import { currentSession } from '@weft/ui/session';
import type { Me } from '@weft/workflow-schema';
import { PackagePlus } from 'lucide-react';
import { useEffect, useState } from 'react';
import { InstallDialog, type InstallableTemplate } from './InstallDialog';

const INSTALL_PARAM = 'install';

/**
 * "Add to my workspace": signed in, it opens the install dialog; signed out, it signs in first and
 * comes back here with the dialog open (`?install=1`).
 */
export function InstallButton({ template }: { template: InstallableTemplate }) {
  const [me, setMe] = useState<Me | null>(null);
  const [open, setOpen] = useState(false);
  useEffect(() => {
    if (new URLSearchParams(window.location.search).get(INSTALL_PARAM) !== '1') return;
    void currentSession().then((m) => {
      if (!m?.user) return;
      setMe(m);
      setOpen(true);
    });
  }, []);
  const start = async () => {
    const m = await currentSession();
    if (!m?.user) {
      const back = new URL(window.location.href);
      back.searchParams.set(INSTALL_PARAM, '1');
      return signInAndReturn(back.href);
    }
    setMe(m);
    setOpen(true);
  };
  return (
    <>
      <button type="button" className="btn btn-primary" onClick={() => void start()} data-testid="install">
        <PackagePlus size={14} aria-hidden /> Add to my workspace
      </button>
      {open && me && <InstallDialog template={template} me={me} onClose={() => setOpen(false)} />}
    </>
  );
}
