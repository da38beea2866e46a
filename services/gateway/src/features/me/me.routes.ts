import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { MeSchema, ProblemSchema, permissionsOf, type Me, type Role } from '@weft/workflow-schema';
import { rows } from '@weft/run-store';
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
        description: 'For an API key, `user` is absent, `orgs` is the key\'s one org and `apiKey` describes the key.',
        response: { 200: MeSchema, 401: ProblemSchema, 403: ProblemSchema },
      },
    }, async (req): Promise<Me> => {
      const { orgId, keyId, role } = req.auth;
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
    });
  };
