'use client';
import { ROLES, roleCovers, type Member, type Role } from '@weft/workflow-schema';
import { LogOut, Trash2, User } from 'lucide-react';

interface Props {
  items: Member[];
  myUserId: string | undefined;
  myRole: string;
  /** The caller may manage members (members:manage). */
  canManage: boolean;
  onRole(m: Member, role: Role): void;
  onRemove(m: Member): void;
  onLeave(): void;
}

/**
 * The members with their roles. A role can be changed, or a member removed, only where the caller
 * holds every right of both roles; the last owner can neither leave nor lose the role (the API
 * refuses all of these too: the page only spares the round trip).
 */
export function MemberTable({ items, myUserId, myRole, canManage, onRole, onRemove, onLeave }: Props) {
  const owners = items.filter((m) => m.role === 'owner').length;
  return (
    <table className="keys-table card" data-testid="member-list">
      <thead>
        <tr>
          <th>Member</th>
          <th>Role</th>
          <th>Joined</th>
          <th aria-label="Actions" />
        </tr>
      </thead>
      <tbody>
        {items.map((m) => {
          const self = m.userId === myUserId;
          const lastOwner = m.role === 'owner' && owners <= 1;
          const editable = canManage && !self && roleCovers(myRole, m.role);
          return (
            <tr key={m.userId} data-testid="member" data-email={m.email}>
              <td>
                <User size={14} aria-hidden /> {m.email}
                {m.name && <span className="muted"> ({m.name})</span>}
                {self && <span className="badge badge-info keys-current">you</span>}
              </td>
              <td>
                {editable ? (
                  <select className="input input-sm" value={m.role} onChange={(e) => onRole(m, e.target.value as Role)} aria-label={`Role of ${m.email}`} data-testid="member-role">
                    {ROLES.map((r) => (
                      <option key={r} value={r} disabled={!roleCovers(myRole, r) || (lastOwner && r !== 'owner')}>
                        {r}
                      </option>
                    ))}
                  </select>
                ) : (
                  <span className="badge badge-accent" data-testid="member-role-badge">{m.role}</span>
                )}
              </td>
              <td className="muted">{new Date(m.joinedAt).toLocaleDateString()}</td>
              <td>
                {self ? (
                  <button type="button" className="btn btn-sm" onClick={onLeave} disabled={lastOwner} title={lastOwner ? 'The last owner cannot leave: make another member owner first' : undefined} data-testid="leave-org">
                    <LogOut size={12} /> Leave
                  </button>
                ) : (
                  editable && (
                    <button type="button" className="btn btn-sm btn-danger" onClick={() => onRemove(m)} disabled={lastOwner} data-testid="remove-member">
                      <Trash2 size={12} /> Remove
                    </button>
                  )
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
