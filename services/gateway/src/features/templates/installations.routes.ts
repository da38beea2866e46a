import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { asMaintenance } from '@weft/db';
import { CreateInstallationBodySchema, InstallationDetailSchema, InstallationSchema, ListQuerySchema, ProblemSchema, UpgradeInstallationBodySchema, UuidParamSchema, listOf } from '@weft/workflow-schema';
import type { Resources } from '../../resources';
import { installTemplate, installationView, listInstallations } from './installations.service';
import { getInstallation, upgradeInstallation } from './upgrade.service';

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
      schema: { tags, operationId: 'listInstallations', summary: "The org's installations, newest first (`workflowId`: the one that made that workflow)", querystring: ListQuerySchema.extend({ workflowId: z.string().uuid().optional() }), response: { 200: listOf(InstallationSchema), ...errors } },
    }, async (req) => {
      const p = await listInstallations(res, req.auth.orgId, req.query);
      return { items: p.items.map(installationView), nextCursor: p.nextCursor };
    });

    // Both read the installation's template version, which another org owns (row-level
    // security); everything of the caller's org they read or write is filtered by its org id.
    app.get('/v1/installations/:id', {
      config: { access: { permission: 'workflows:read' } },
      schema: {
        tags,
        operationId: 'getInstallation',
        summary: 'One installation, with the upgrade to the newest public template version when there is one',
        description: '`upgrade` (null when the pinned version is the newest) holds the semantic diff between the pinned and the new template version, and the conflicts of the three-way merge with your current workflow (Weft extension).',
        params: UuidParamSchema,
        response: { 200: InstallationDetailSchema, ...errors },
      },
    }, async (req) => asMaintenance(() => getInstallation(res, req.auth, req.params.id)));

    app.post('/v1/installations/:id/upgrade', {
      config: { access: { permission: 'workflows:write' } },
      schema: {
        tags,
        operationId: 'upgradeInstallation',
        summary: "Upgrade an installation to a newer template version, keeping your credential mapping and your edits",
        description: 'Three-way merge (base: the pinned version, ours: your workflow, theirs: the new version). Unresolved conflicts answer 409 with one error per conflict path; give `resolutions: { path: "ours" | "theirs" }` to settle them. The merged definition is published as the workflow\'s next version (Weft extension).',
        params: UuidParamSchema,
        body: UpgradeInstallationBodySchema,
        response: { 200: InstallationDetailSchema, ...errors },
      },
    }, async (req) => asMaintenance(() => upgradeInstallation(res, req.auth, req.params.id, req.body)));
  };
