import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  AuthorizeConnectionAnswerSchema,
  AuthorizeConnectionQuerySchema,
  ConnectionIdParamSchema,
  ConnectionSchema,
  CreateConnectionBodySchema,
  OAuthCallbackQuerySchema,
  ProblemSchema,
} from '@weft/workflow-schema';
import type { Resources } from '../../resources';
import { connectionView, createConnection, deleteConnection, getConnection, listConnections } from './connections.service';
import { finishAuthorization, startAuthorization } from './oauth-flow';
import type { OAuthSettings } from './oauth-settings';

const errors = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema, 409: ProblemSchema, 503: ProblemSchema };
const tags = ['connections'];

export const connectionRoutes =
  (res: Resources, settings: OAuthSettings): FastifyPluginAsyncZod =>
  async (app) => {
    app.post('/v1/connections', {
      config: { access: { permission: 'secrets:write' } },
      schema: {
        tags,
        operationId: 'createConnection',
        summary: 'Create an OAuth 2.0 connection (pending until connected; its client secret is encrypted and never returned)',
        description: 'Then GET /v1/connections/:id/authorize for the consent page. Nodes name it as `connection: "<name>"`.',
        body: CreateConnectionBodySchema,
        response: { 201: ConnectionSchema, ...errors },
      },
    }, async (req, reply) => reply.status(201).send(connectionView(await createConnection(res, settings, req.auth, req.body))));

    app.get('/v1/connections', {
      config: { access: { permission: 'secrets:read' } },
      schema: { tags, operationId: 'listConnections', summary: "The org's connections (metadata and status only)", response: { 200: z.object({ items: z.array(ConnectionSchema) }), ...errors } },
    }, async (req) => ({ items: (await listConnections(res, req.auth.orgId)).map(connectionView) }));

    app.get('/v1/connections/:id', {
      config: { access: { permission: 'secrets:read' } },
      schema: { tags, operationId: 'getConnection', summary: "A connection's metadata and status (never a secret or token)", params: ConnectionIdParamSchema, response: { 200: ConnectionSchema, ...errors } },
    }, async (req) => connectionView(await getConnection(res, req.auth.orgId, req.params.id)));

    app.delete('/v1/connections/:id', {
      config: { access: { permission: 'secrets:write' } },
      schema: { tags, operationId: 'deleteConnection', summary: 'Delete a connection and its tokens (204)', params: ConnectionIdParamSchema, response: { 204: z.null().describe('Deleted'), ...errors } },
    }, async (req, reply) => {
      await deleteConnection(res, req.auth, req.params.id);
      return reply.status(204).send(null);
    });

    app.get('/v1/connections/:id/authorize', {
      config: { access: { permission: 'secrets:write' } },
      schema: {
        tags,
        operationId: 'authorizeConnection',
        summary: "The provider's consent page URL for this connection (connect or reconnect)",
        description: 'Send the browser to `authorizeUrl`; the provider redirects to GET /v1/oauth/callback, which stores the tokens and redirects back to `returnTo`.',
        params: ConnectionIdParamSchema,
        querystring: AuthorizeConnectionQuerySchema,
        response: { 200: AuthorizeConnectionAnswerSchema, ...errors },
      },
    }, async (req, reply) => reply.header('cache-control', 'no-store').send(await startAuthorization(res, settings, req.auth, req.params.id, req.query.returnTo)));

    // Public: the provider redirects the browser here; the signed, single-use state is the authority.
    app.get('/v1/oauth/callback', {
      config: { access: 'public' },
      schema: {
        tags,
        operationId: 'oauthCallback',
        summary: 'The OAuth 2.0 redirect URI: exchanges the code, stores the tokens, redirects back to the app',
        querystring: OAuthCallbackQuerySchema,
        response: { 303: z.null(), 400: ProblemSchema, 503: ProblemSchema },
      },
    }, async (req, reply) => reply.header('cache-control', 'no-store').redirect(await finishAuthorization(res, settings, req.query), 303));
  };
