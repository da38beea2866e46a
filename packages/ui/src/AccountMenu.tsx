'use client';
import type { Me } from '@weft/workflow-schema';
import { LogOut } from 'lucide-react';
import { useEffect, useState } from 'react';
import { currentSession, signOut, switchOrg } from './session';

/** The signed-in user: the org switcher (their orgs, with their role in each) and sign out. */
export function AccountMenu() {
  const [me, setMe] = useState<Me | undefined>();
  useEffect(() => {
    let live = true;
    void currentSession().then((m) => live && setMe(m));
    return () => {
      live = false;
    };
  }, []);
  if (!me?.user) return null;
  return (
    <div className="account" data-testid="account">
      <label className="account-org">
        <span className="sr-only">Organization</span>
        <select data-testid="org-switcher" value={me.org.slug} onChange={(e) => switchOrg(e.target.value)} aria-label="Organization">
          {(me.orgs ?? [me.org]).map((o) => (
            <option key={o.id} value={o.slug}>
              {o.name}
            </option>
          ))}
        </select>
      </label>
      <span className="muted account-who" data-testid="account-email" title={`${me.role} of ${me.org.name}`}>
        {me.user.email} · {me.role}
      </span>
      <button type="button" className="btn btn-ghost btn-sm" onClick={() => void signOut()} data-testid="sign-out">
        <LogOut size={14} /> Sign out
      </button>
    </div>
  );
}
