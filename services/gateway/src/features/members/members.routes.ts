import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { asMaintenance } from '@weft/db';
import {
  CreateInvitationBodySchema,
  CreateOrgBodySchema,
  DeleteOrgBodySchema,
  InvitationSchema,
  MemberParamsSchema,
  MemberSchema,
  MyInvitationSchema,
  OrgDeletionSchema,
  OrgSchema,
  ProblemSchema,
  RoleSchema,
  UpdateMemberBodySchema,
  UuidParamSchema,
} from '@weft/workflow-schema';
import type { Resources } from '../../resources';
import type { AuthContext } from '../auth/auth-context';
import { acceptInvitation, createInvitation, listInvitations, listMyInvitations, revokeInvitation } from './invitations.service';
import { deleteOrg, type OrgDeletionDeps } from './org-deletion.service';
import { changeRole, createOrgFor, listMembers, removeMember, sessionOnly } from './members.service';

const errors = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema, 409: ProblemSchema };
const tags = ['members'];

export const memberRoutes =
  (res: Resources, ctx: AuthContext, deletion: OrgDeletionDeps): FastifyPluginAsyncZod =>
  async (app) => {
    app.post('/v1/orgs', {
      config: { access: { permission: 'org:read' } },
      schema: { tags, operationId: 'createOrg', summary: 'Create an org; the signed-in caller is its owner (sessions only)', body: CreateOrgBodySchema, response: { 201: OrgSchema, ...errors } },
      // A new org belongs to no org the caller acts in yet: written across orgs (row-level security).
    }, async (req, reply) =>
      reply.status(201).send(await asMaintenance(() => createOrgFor(res.db.pool, sessionOnly(req.auth, 'creating an org'), req.body.name, req.body.slug))));

    app.delete('/v1/orgs/:id', {
      config: { access: { permission: 'org:delete' } },
      schema: {
        tags,
        operationId: 'deleteOrg',
        summary: 'Delete the current org (owners only), confirmed by its slug',
        description:
          'At once: API keys revoked on every gateway, members and pending invitations removed, schedules and webhooks off, secrets deleted and their values destroyed, live runs cancelled; audited as `org.deleted`. ' +
          'Workflows, runs and the audit log are kept, unreachable, until a purge (planned). 404 for an id that is not the org the request acts in; 409 for the bootstrap org.',
        params: UuidParamSchema,
        body: DeleteOrgBodySchema,
        response: { 200: OrgDeletionSchema, ...errors },
      },
    }, async (req) => deleteOrg(res, deletion, req.auth, req.params.id, req.body));

    app.get('/v1/me/invitations', {
      config: { access: { permission: 'org:read' } },
      schema: { tags, operationId: 'listMyInvitations', summary: "Pending invitations to the signed-in user's email, in other orgs (sessions only)", response: { 200: z.object({ items: z.array(MyInvitationSchema) }), ...errors } },
      // Cross-org on purpose (row-level security): the invitations are other orgs' rows.
    }, async (req) => ({ items: await asMaintenance(() => listMyInvitations(res.db.pool, sessionOnly(req.auth, 'listing your invitations').userId)) }));

    app.get('/v1/members', {
      config: { access: { permission: 'org:read' } },
      schema: { tags, operationId: 'listMembers', summary: "The org's members with their roles", response: { 200: z.object({ items: z.array(MemberSchema) }), ...errors } },
    }, async (req) => ({ items: await listMembers(res.db.pool, req.auth.orgId) }));

    app.patch('/v1/members/:userId', {
      config: { access: { permission: 'members:manage' } },
      schema: {
        tags,
        operationId: 'updateMember',
        summary: "Change a member's role",
        description: '403 unless the caller holds every right of the old and the new role; 409 when it would leave the org without an owner.',
        params: MemberParamsSchema,
        body: UpdateMemberBodySchema,
        response: { 200: MemberSchema, ...errors },
      },
    }, async (req) => changeRole(res.db.pool, req.auth, req.params.userId, req.body.role));

    app.delete('/v1/members/:userId', {
      config: { access: { permission: 'members:manage' } },
      schema: { tags, operationId: 'removeMember', summary: 'Remove a member (409 for the last owner)', params: MemberParamsSchema, response: { 204: z.null(), ...errors } },
    }, async (req, reply) => {
      await removeMember(res.db.pool, req.auth, req.params.userId);
      return reply.status(204).send(null);
    });

    app.delete('/v1/me/membership', {
      config: { access: { permission: 'org:read' } },
      schema: { tags, operationId: 'leaveOrg', summary: 'Leave the current org (sessions only; 409 for the last owner)', response: { 204: z.null(), ...errors } },
    }, async (req, reply) => {
      const me = sessionOnly(req.auth, 'leaving an org');
      await removeMember(res.db.pool, me, me.userId);
      return reply.status(204).send(null);
    });

    app.post('/v1/invitations', {
      config: { access: { permission: 'members:manage' } },
      schema: {
        tags,
        operationId: 'createInvitation',
        summary: 'Invite an email into the org with a role (joins at sign-in with that email)',
        body: CreateInvitationBodySchema,
        response: { 201: InvitationSchema, ...errors },
      },
    }, async (req, reply) => reply.status(201).send(await createInvitation(res.db.pool, { ...(ctx.mailer ? { mailer: ctx.mailer } : {}), appUrl: ctx.appUrl, logger: res.logger }, req.auth, req.body)));

    app.get('/v1/invitations', {
      config: { access: { permission: 'members:manage' } },
      schema: { tags, operationId: 'listInvitations', summary: "The org's pending invitations", response: { 200: z.object({ items: z.array(InvitationSchema) }), ...errors } },
    }, async (req) => ({ items: await listInvitations(res.db.pool, req.auth.orgId) }));

    app.delete('/v1/invitations/:id', {
      config: { access: { permission: 'members:manage' } },
      schema: { tags, operationId: 'revokeInvitation', summary: 'Withdraw a pending invitation', params: UuidParamSchema, response: { 204: z.null(), ...errors } },
    }, async (req, reply) => {
      await revokeInvitation(res.db.pool, req.auth, req.params.id);
      return reply.status(204).send(null);
    });

    app.post('/v1/invitations/:id/accept', {
      config: { access: { permission: 'org:read' } },
      schema: {
        tags,
        operationId: 'acceptInvitation',
        summary: "Accept an invitation addressed to the signed-in user's email (404 for anyone else)",
        params: UuidParamSchema,
        response: { 200: z.object({ orgId: z.string(), role: RoleSchema }), ...errors },
      },
      // The invitation is another org's until accepted: read and written across orgs (it checks the email itself).
    }, async (req) => asMaintenance(() => acceptInvitation(res.db.pool, req.auth, req.params.id)));
  };
