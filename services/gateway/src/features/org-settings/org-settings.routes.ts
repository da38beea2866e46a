import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { OrgSettingsSchema, ProblemSchema, UpdateOrgSettingsBodySchema, UuidParamSchema } from '@weft/workflow-schema';
import type { Resources } from '../../resources';
import { getOrgSettings, updateOrgSettings } from './org-settings.service';

const errors = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema };
const tags = ['members'];
const retention =
  'After `retentionDays` (1–365, default 30) past its end, a run keeps its summary (status, trigger, timings, errors, step statuses) ' +
  'and loses its inputs, outputs and log lines (docs/operating/retention.md). `GET /v1/runs/:id/export` saves a run first.';

export const orgSettingsRoutes =
  (res: Resources): FastifyPluginAsyncZod =>
  async (app) => {
    app.get('/v1/orgs/:id/settings', {
      config: { access: { permission: 'org:read' } },
      schema: { tags, operationId: 'getOrgSettings', summary: "The org's settings (data retention)", description: `404 for an id that is not the org the request acts in. ${retention}`, params: UuidParamSchema, response: { 200: OrgSettingsSchema, ...errors } },
    }, async (req) => getOrgSettings(res, req.auth, req.params.id));

    app.patch('/v1/orgs/:id/settings', {
      config: { access: { permission: 'org:manage' } },
      schema: {
        tags,
        operationId: 'updateOrgSettings',
        summary: "Change the org's settings (admins and owners); audited as `org.settings_updated`",
        description: `400 naming \`body.retentionDays\` outside 1–365 or not an integer. ${retention} A shorter retention applies at the retention job's next pass.`,
        params: UuidParamSchema,
        body: UpdateOrgSettingsBodySchema,
        response: { 200: OrgSettingsSchema, ...errors },
      },
    }, async (req) => updateOrgSettings(res, req.auth, req.params.id, req.body));
  };
