'use client';
import { ROLES, roleCovers, type Role } from '@weft/workflow-schema';
import { useState } from 'react';
import { api } from '../../lib/api';
import { useSubmit } from '../../lib/use-submit';
import { Dialog } from '../Dialog';
import { ROLE_HINTS } from '../roles';

/** Email and role of an invitation; roles above the caller's are offered disabled (the API refuses them too). */
export function InviteDialog({ open, myRole, onClose, onInvited }: { open: boolean; myRole: string; onClose(): void; onInvited(email: string): void }) {
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('viewer');
  const { busy, error, setError, run } = useSubmit();
  const close = () => {
    setEmail('');
    setRole('viewer');
    setError(null);
    onClose();
  };
  const submit = () =>
    run(async () => {
      const inv = await api.createInvitation({ email: email.trim(), role });
      setEmail('');
      onInvited(inv.email);
    });
  return (
    <Dialog
      title="Invite a member"
      open={open}
      onClose={close}
      testId="invite-dialog"
      cancel
      footer={
        <button type="submit" form="invite-form" className="btn btn-primary" disabled={busy || !email.trim()} data-testid="send-invitation">
          Send invitation
        </button>
      }
    >
      <form
        id="invite-form"
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <label className="field">
          <span className="field-label">
            Email <span className="req">*</span>
          </span>
          <input className="input" type="email" value={email} onChange={(e) => setEmail(e.target.value)} maxLength={320} autoFocus data-testid="invite-email" />
          <span className="field-help">They join when they sign in with this address.</span>
        </label>
        <label className="field">
          <span className="field-label">Role</span>
          <select className="input" value={role} onChange={(e) => setRole(e.target.value as Role)} data-testid="invite-role">
            {ROLES.map((r) => (
              <option key={r} value={r} disabled={!roleCovers(myRole, r)}>
                {r}: {ROLE_HINTS[r]}
              </option>
            ))}
          </select>
          <span className="field-help">Nobody grants more rights than they hold.</span>
        </label>
        {error && (
          <p className="field-error" role="alert" data-testid="invite-error">
            {error}
          </p>
        )}
      </form>
    </Dialog>
  );
}
