import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { MeSchema, ProblemSchema, permissionsOf, type Me, type Role } from '@weft/workflow-schema';
import { asMaintenance } from '@weft/db';
import { rows } from '@weft/run-store';
import type { KeyPrincipal, SessionPrincipal } from '../../auth/principal';
import { csrfTokenFor, sessionTokenOf } from '../../auth/session-cookie';
import { AppError } from '../../errors';
import type { Resources } from '../../resources';

export const meRoutes =
  (res: Resources): FastifyPluginAsyncZod =>
  async (app) => {
    app.get('/v1/me', {
      config: { access: { permission: 'org:read' } },
      schema: {
        tags: ['accounts'],
        operationId: 'getMe',
        summary: 'Who is calling: the org, the role and its permissions',
        description: 'For an API key, `user` is absent, `orgs` is the key\'s one org and `apiKey` describes the key. For a session, `user`, every org of the user with their role there, and `session.csrfToken`.',
        response: { 200: MeSchema, 401: ProblemSchema, 403: ProblemSchema },
      },
    }, async (req): Promise<Me> => {
      const p = req.auth;
      return p.kind === 'key' ? keyMe(res, p) : sessionMe(res, p, csrfTokenFor(sessionTokenOf(req)!));
    });
  };

async function keyMe(res: Resources, { orgId, keyId, role }: KeyPrincipal): Promise<Me> {
  const [row] = await rows<{ slug: string; name: string; key_name: string; prefix: string; expires_at: Date | null }>(
    res.db.pool,
    `SELECT o.slug, o.name, k.name AS key_name, k.prefix, k.expires_at FROM orgs o JOIN api_keys k ON k.org_id = o.id WHERE o.id = $1 AND k.id = $2`,
    [orgId, keyId],
  );
  // The key was verified a moment ago; it can only be gone if its org was deleted meanwhile.
  if (!row) throw new AppError('unauthorized', 'the API key is not valid');
  const org = { id: orgId, slug: row.slug, name: row.name };
  return {
    org,
    role: role as Role,
    permissions: permissionsOf(role),
    orgs: [{ ...org, role: role as Role }],
    apiKey: { id: keyId, name: row.key_name, prefix: row.prefix, expiresAt: row.expires_at?.toISOString() ?? null },
  };
}

async function sessionMe(res: Resources, p: SessionPrincipal, csrfToken: string): Promise<Me> {
  // Every org of the user, not only the one acting: across orgs on purpose (row-level security).
  const memberships = await asMaintenance(() => rows<{ id: string; slug: string; name: string; role: Role; email: string; user_name: string | null }>(
    res.db.pool,
    `SELECT o.id, o.slug, o.name, m.role, u.email, u.name AS user_name
       FROM users u JOIN memberships m ON m.user_id = u.id JOIN orgs o ON o.id = m.org_id
      WHERE u.id = $1 ORDER BY m.created_at, m.id`,
    [p.userId],
  ));
  const current = memberships.find((m) => m.id === p.orgId);
  // The membership was read a moment ago; it can only be gone if it was removed meanwhile.
  if (!current) throw new AppError('forbidden', 'you are no longer a member of this org');
  return {
    user: { id: p.userId, email: current.email, name: current.user_name, platformAdmin: p.platformAdmin },
    org: { id: current.id, slug: current.slug, name: current.name },
    role: p.role as Role,
    permissions: permissionsOf(p.role),
    orgs: memberships.map((m) => ({ id: m.id, slug: m.slug, name: m.name, role: m.role })),
    session: { id: p.sessionId, csrfToken },
  };
}
