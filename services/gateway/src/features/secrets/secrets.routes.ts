import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  CreateSecretBodySchema,
  ListSecretsQuerySchema,
  ProblemSchema,
  SecretNameParamSchema,
  SecretSchema,
  UpdateSecretBodySchema,
  listOf,
} from '@weft/workflow-schema';
import type { Resources } from '../../resources';
import { createSecret, deleteSecret, getSecret, listSecrets, secretView, updateSecret } from './secrets.service';

const errors = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema, 409: ProblemSchema, 503: ProblemSchema };
const tags = ['secrets'];

export const secretRoutes =
  (res: Resources): FastifyPluginAsyncZod =>
  async (app) => {
    app.post('/v1/secrets', {
      config: { access: { permission: 'secrets:write' } },
      schema: {
        tags,
        operationId: 'createSecret',
        summary: 'Create a secret (its value is encrypted at rest and never returned)',
        description: 'Use it in executor steps as `{{ secrets.NAME }}`. 409 when the name is taken; a deleted name can be created again.',
        body: CreateSecretBodySchema,
        response: { 201: SecretSchema, ...errors },
      },
    }, async (req, reply) => reply.status(201).send(secretView(await createSecret(res, req.auth, req.body))));

    app.get('/v1/secrets', {
      config: { access: { permission: 'secrets:read' } },
      schema: { tags, operationId: 'listSecrets', summary: "List the org's secrets by name (metadata only)", querystring: ListSecretsQuerySchema, response: { 200: listOf(SecretSchema), ...errors } },
    }, async (req) => {
      const p = await listSecrets(res, req.auth.orgId, req.query.limit, req.query.cursor);
      return { items: p.items.map(secretView), nextCursor: p.nextCursor };
    });

    app.get('/v1/secrets/:name', {
      config: { access: { permission: 'secrets:read' } },
      schema: { tags, operationId: 'getSecret', summary: "A secret's metadata (never its value)", params: SecretNameParamSchema, response: { 200: SecretSchema, ...errors } },
    }, async (req) => secretView(await getSecret(res, req.auth.orgId, req.params.name)));

    app.put('/v1/secrets/:name', {
      config: { access: { permission: 'secrets:write' } },
      schema: {
        tags,
        operationId: 'updateSecret',
        summary: 'Give a secret a new value (a new version) and/or a new description',
        description: 'Runs that start after this use the new value; steps already running keep the value they resolved.',
        params: SecretNameParamSchema,
        body: UpdateSecretBodySchema,
        response: { 200: SecretSchema, ...errors },
      },
    }, async (req) => secretView(await updateSecret(res, req.auth, req.params.name, req.body)));

    app.delete('/v1/secrets/:name', {
      config: { access: { permission: 'secrets:write' } },
      schema: {
        tags,
        operationId: 'deleteSecret',
        summary: 'Delete a secret (204); steps that use it fail with secret_not_found',
        params: SecretNameParamSchema,
        response: { 204: z.null().describe('Deleted'), ...errors },
      },
    }, async (req, reply) => {
      await deleteSecret(res, req.auth, req.params.name);
      return reply.status(204).send(null);
    });
  };
