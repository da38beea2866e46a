import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ApiKeySchema, CreateApiKeyBodySchema, CreatedApiKeySchema, ListQuerySchema, ProblemSchema, UuidParamSchema, listOf } from '@weft/workflow-schema';
import type { KeyRevocations } from '../../auth/key-revocations';
import type { Resources } from '../../resources';
import { createApiKey, listApiKeys, revokeApiKey } from './api-keys.service';

const errors = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema };
const tags = ['accounts'];

export const apiKeyRoutes =
  (res: Resources, revocations: KeyRevocations): FastifyPluginAsyncZod =>
  async (app) => {
    app.post('/v1/api-keys', {
      config: { access: { permission: 'keys:manage' } },
      schema: {
        tags,
        operationId: 'createApiKey',
        summary: 'Create an API key of your org (the key is shown only in this answer)',
        description:
          'A key never holds more rights than its creator: 403 when `role` grants something the calling key\'s role does not ' +
          '(an admin cannot create an owner key), or when `expiresAt` is later than the calling key\'s own expiry.',
        body: CreateApiKeyBodySchema,
        response: { 201: CreatedApiKeySchema, ...errors },
      },
    }, async (req, reply) => reply.status(201).send(await createApiKey(res, req.auth, req.body)));

    app.get('/v1/api-keys', {
      config: { access: { permission: 'keys:manage' } },
      schema: {
        tags,
        operationId: 'listApiKeys',
        summary: "List your org's keys that are not revoked, newest first (metadata only: never a key)",
        querystring: ListQuerySchema,
        response: { 200: listOf(ApiKeySchema), ...errors },
      },
    }, async (req) => listApiKeys(res, req.auth.orgId, req.query.limit, req.query.cursor));

    app.delete('/v1/api-keys/:id', {
      config: { access: { permission: 'keys:manage' } },
      schema: {
        tags,
        operationId: 'revokeApiKey',
        summary: 'Revoke an API key (204): it stops working on every gateway within a second',
        description: '403 when the key holds rights the calling key lacks. Revoking a revoked key answers 204 again.',
        params: UuidParamSchema,
        response: { 204: z.null().describe('Revoked'), ...errors },
      },
    }, async (req, reply) => {
      await revokeApiKey(res, revocations, req.auth, req.params.id);
      return reply.status(204).send(null);
    });
  };
