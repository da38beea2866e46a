'use client';
import type { InvitationView, MyInvitation } from '@weft/workflow-schema';
import { Check, Mail, X } from 'lucide-react';

/** Invitations addressed to the signed-in user, in orgs they have not joined yet. */
export function InvitationsForMe({ items, onAccept }: { items: MyInvitation[]; onAccept(i: MyInvitation): void }) {
  if (!items.length) return null;
  return (
    <section className="card members-section" data-testid="my-invitations">
      <h2>Invitations for you</h2>
      {items.map((i) => (
        <div key={i.id} className="members-invite-row" data-testid="my-invitation">
          <span>
            <Mail size={14} aria-hidden /> <strong>{i.org.name}</strong> invites you as <span className="badge badge-accent">{i.role}</span>
          </span>
          <button type="button" className="btn btn-sm btn-primary" onClick={() => onAccept(i)} data-testid="accept-invitation">
            <Check size={12} /> Accept
          </button>
        </div>
      ))}
    </section>
  );
}

/** The org's pending invitations (members:manage), each revocable. */
export function PendingInvitations({ items, onRevoke }: { items: InvitationView[]; onRevoke(i: InvitationView): void }) {
  return (
    <section className="members-section">
      <h2>Pending invitations</h2>
      {!items.length ? (
        <p className="card empty-list muted">No pending invitations.</p>
      ) : (
        <table className="keys-table card" data-testid="invitation-list">
          <tbody>
            {items.map((i) => (
              <tr key={i.id} data-testid="invitation" data-email={i.email}>
                <td>
                  <Mail size={14} aria-hidden /> {i.email}
                </td>
                <td>
                  <span className="badge badge-accent">{i.role}</span>
                </td>
                <td className="muted">expires {new Date(i.expiresAt).toLocaleDateString()}</td>
                <td>
                  <button type="button" className="btn btn-sm" onClick={() => onRevoke(i)} data-testid="revoke-invitation">
                    <X size={12} /> Withdraw
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
