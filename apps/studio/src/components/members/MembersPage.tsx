'use client';
import type { InvitationView, Me, Member, MyInvitation, Role } from '@weft/workflow-schema';
import { Plus, Trash2 } from 'lucide-react';
import { useCallback, useEffect, useState } from 'react';
import { switchOrg } from '@weft/ui/session';
import { api, errorMessage } from '../../lib/api';
import { BackHeader } from '../BackHeader';
import { LoadError } from '../LoadError';
import { toast, Toasts } from '../toast';
import { DeleteOrgDialog } from './DeleteOrgDialog';
import { InvitationsForMe, PendingInvitations } from './InvitationLists';
import { InviteDialog } from './InviteDialog';
import { MemberTable } from './MemberTable';

interface Loaded {
  me: Me;
  members: Member[];
  /** Null when the caller may not manage members (the list needs members:manage). */
  invitations: InvitationView[] | null;
  mine: MyInvitation[];
}
type Load = { state: 'loading' } | { state: 'error'; message: string } | ({ state: 'ready' } & Loaded);

/** Another org of the caller to land in (after leaving or deleting this one), or none. */
const otherOrg = (me: Me) => me.orgs?.find((o) => o.id !== me.org.id)?.slug;
const leaveTo = (me: Me) => {
  const next = otherOrg(me);
  if (next) switchOrg(next);
  else window.location.assign('/');
};

/** The org's members: roles, invitations (sent and received), leaving, and deleting the org (owners). */
export function MembersPage() {
  const [load, setLoad] = useState<Load>({ state: 'loading' });
  const [inviting, setInviting] = useState(false);
  const [deleting, setDeleting] = useState(false);

  const refresh = useCallback(() => {
    void (async () => {
      const me = await api.me();
      const manage = me.permissions.includes('members:manage');
      const [members, invitations, mine] = await Promise.all([
        api.listMembers(),
        manage ? api.listInvitations() : Promise.resolve(null),
        me.user ? api.myInvitations() : Promise.resolve({ items: [] }),
      ]);
      setLoad({ state: 'ready', me, members: members.items, invitations: invitations?.items ?? null, mine: mine.items });
    })().catch((err: unknown) => setLoad({ state: 'error', message: errorMessage(err) }));
  }, []);
  useEffect(refresh, [refresh]);

  /** Runs a change, then says how it went and reloads the lists. */
  const act = async (done: string, fn: () => Promise<unknown>) => {
    try {
      await fn();
      toast('success', done);
      refresh();
    } catch (err) {
      toast('error', errorMessage(err));
    }
  };
  const onRole = (m: Member, role: Role) => void act(`${m.email} is now ${role}`, () => api.updateMember(m.userId, role));
  const onRemove = (m: Member) => void act(`${m.email} removed`, () => api.removeMember(m.userId));
  const onRevoke = (i: InvitationView) => void act(`Invitation to ${i.email} withdrawn`, () => api.revokeInvitation(i.id));
  const onAccept = (i: MyInvitation) =>
    void api.acceptInvitation(i.id).then(
      () => switchOrg(i.org.slug),
      (err: unknown) => toast('error', errorMessage(err)),
    );
  const onLeave = (me: Me) => void api.leaveOrg().then(() => leaveTo(me), (err: unknown) => toast('error', errorMessage(err)));

  return (
    <div className="home">
      <BackHeader />
      <main className="home-main">
        <div className="home-title">
          <div>
            <h1>Members</h1>
            <p className="muted">{load.state === 'ready' ? `Who can act in ${load.me.org.name}, and with which role.` : 'Who can act in this org, and with which role.'}</p>
          </div>
          {load.state === 'ready' && load.invitations && (
            <button type="button" className="btn btn-primary" onClick={() => setInviting(true)} data-testid="invite-member">
              <Plus size={14} /> Invite
            </button>
          )}
        </div>
        {load.state === 'loading' && <div className="card keys-loading skeleton" aria-busy="true" aria-label="Loading members" />}
        {load.state === 'error' && <LoadError title="The members could not be loaded" message={load.message} onRetry={() => (setLoad({ state: 'loading' }), refresh())} />}
        {load.state === 'ready' && (
          <>
            <InvitationsForMe items={load.mine} onAccept={onAccept} />
            <MemberTable
              items={load.members}
              myUserId={load.me.user?.id}
              myRole={load.me.role}
              canManage={load.invitations !== null}
              onRole={onRole}
              onRemove={onRemove}
              onLeave={() => onLeave(load.me)}
            />
            {load.invitations && <PendingInvitations items={load.invitations} onRevoke={onRevoke} />}
            {load.me.permissions.includes('org:delete') && (
              <section className="members-section members-danger">
                <h2>Delete this org</h2>
                <p className="muted">Keys stop working, members lose access and secrets are destroyed at once.</p>
                <button type="button" className="btn btn-danger" onClick={() => setDeleting(true)} data-testid="delete-org">
                  <Trash2 size={14} /> Delete {load.me.org.name}
                </button>
              </section>
            )}
          </>
        )}
      </main>
      {load.state === 'ready' && (
        <>
          <InviteDialog
            open={inviting}
            myRole={load.me.role}
            onClose={() => setInviting(false)}
            onInvited={(email) => {
              setInviting(false);
              toast('success', `Invitation sent to ${email}`);
              refresh();
            }}
          />
          <DeleteOrgDialog me={load.me} open={deleting} onClose={() => setDeleting(false)} onDeleted={() => leaveTo(load.me)} />
        </>
      )}
      <Toasts />
    </div>
  );
}
