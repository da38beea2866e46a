import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { asMaintenance } from '@weft/db';
import { CreateInstallationBodySchema, InstallationSchema, ListQuerySchema, ProblemSchema, listOf } from '@weft/workflow-schema';
import type { Resources } from '../../resources';
import { installTemplate, installationView, listInstallations } from './installations.service';

const errors = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema, 409: ProblemSchema };
const tags = ['templates'];

/** Installing a published template into the caller's org. */
export const installationRoutes =
  (res: Resources): FastifyPluginAsyncZod =>
  async (app) => {
    app.post('/v1/installations', {
      config: { access: { permission: 'workflows:write' } },
      schema: {
        tags,
        operationId: 'installTemplate',
        summary: 'Install a published template: a new published workflow reading your mapped secrets',
        description: "`credentials` maps each credential slot to one of your secrets by name; a slot left unmapped, or mapped to a secret you do not have, is a 400 naming `body.credentials.SLOT`. Installing twice makes two independent workflows.",
        body: CreateInstallationBodySchema,
        response: { 201: InstallationSchema, ...errors },
      },
      // Reads another org's public template and counts the install on it: across orgs (row-level
      // security); what it writes in the caller's org carries the caller's org id.
    }, async (req, reply) => reply.status(201).send(installationView(await asMaintenance(() => installTemplate(res, req.auth, req.body)))));

    app.get('/v1/installations', {
      config: { access: { permission: 'workflows:read' } },
      schema: { tags, operationId: 'listInstallations', summary: "The org's installations, newest first", querystring: ListQuerySchema, response: { 200: listOf(InstallationSchema), ...errors } },
    }, async (req) => {
      const p = await listInstallations(res, req.auth.orgId, req.query);
      return { items: p.items.map(installationView), nextCursor: p.nextCursor };
    });
  };
