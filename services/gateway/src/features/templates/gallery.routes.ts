import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  IdOrSlugParamSchema,
  ProblemSchema,
  ProfileSchema,
  ReviewTemplateSchema,
  TemplateCheckBodySchema,
  TemplateCheckSchema,
  TemplateStatsSchema,
  TemplateViewBodySchema,
  UpdateProfileBodySchema,
  UuidParamSchema,
} from '@weft/workflow-schema';
import { asMaintenance } from '@weft/db';
import { z } from 'zod';
import { AppError, notFound } from '../../errors';
import type { Resources } from '../../resources';
import { publicTemplateStats, recordView } from './analytics.service';
import type { Moderators } from './moderation.service';
import { updateOrgProfile } from './profiles.service';
import { checkTemplate } from './publish.service';
import { getReviewTemplate } from './templates.read';

const errors = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema };
const tags = ['templates'];

/**
 * What the gallery pages and the studio's publish dialog need besides the core template routes:
 * the pre-publish check without storing, page views and the public numbers of a template, a
 * moderator's look at a template under review, and the org's creator profile.
 */
export const galleryRoutes =
  (res: Resources, moderators: Moderators): FastifyPluginAsyncZod =>
  async (app) => {
    app.post('/v1/templates/check', {
      config: { access: { permission: 'templates:publish' } },
      schema: {
        tags,
        operationId: 'checkTemplate',
        summary: 'Run the pre-publish checks on a workflow version without publishing anything',
        description: '`errors` are what POST /v1/templates would refuse (credential-looking literals with node id and path, references to your workflows, described slots never read); `warnings` the missing descriptions and undescribed secrets; then the slots, outbound domains and integrations the template page would show.',
        body: TemplateCheckBodySchema,
        response: { 200: TemplateCheckSchema, ...errors },
      },
    }, async (req) => checkTemplate(res, req.auth, req.body));

    app.post('/v1/templates/:idOrSlug/views', {
      config: { access: 'public' },
      schema: {
        tags,
        operationId: 'recordTemplateView',
        summary: "Count one view of a published template's page",
        description: 'Counted per day and referral `source` (gallery, profile, share, search, an outside host, direct); nothing about the visitor is stored. No API key needed.',
        params: IdOrSlugParamSchema,
        body: TemplateViewBodySchema,
        response: { 204: z.null(), 400: ProblemSchema, 404: ProblemSchema },
      },
    }, async (req, reply) => {
      await recordView(res, req.params.idOrSlug, req.body.source);
      return reply.status(204).send(null);
    });

    app.get('/v1/templates/:idOrSlug/stats', {
      config: { access: 'public' },
      schema: {
        tags,
        operationId: 'getTemplateStats',
        summary: 'The numbers of a published template: views, installs (by source), runs of installed copies and their success rate',
        params: IdOrSlugParamSchema,
        response: { 200: TemplateStatsSchema, 404: ProblemSchema },
      },
    }, async (req) => publicTemplateStats(res, req.params.idOrSlug));

    app.get('/v1/moderation/templates/:id', {
      config: { access: { permission: 'templates:moderate' } },
      schema: { tags, operationId: 'getTemplateForReview', summary: 'A template of any org as a moderator reviews it: versions with warnings, readme, the newest definition', description: 'Platform moderators only: 403 on your own org\'s template, 404 on any other.', params: UuidParamSchema, response: { 200: ReviewTemplateSchema, ...errors } },
    }, async (req) => asMaintenance(async () => {
      // Cross-org on purpose (row-level security): moderators read templates of every org.
      if (!(await moderators.includes(req.auth))) {
        // As for moderation actions: 403 on the caller's own template, 404 on any other (drafts of other orgs stay invisible).
        const own = await res.db.pool.query('SELECT 1 FROM templates WHERE id = $1 AND org_id = $2', [req.params.id, req.auth.orgId]);
        if (!own.rowCount) throw notFound('template', req.params.id);
        throw new AppError('forbidden', 'only moderators of the platform org review templates');
      }
      return getReviewTemplate(res, req.params.id);
    }));

    app.put('/v1/profile', {
      config: { access: { permission: 'templates:publish' } },
      schema: { tags, operationId: 'updateProfile', summary: "Edit your org's public creator profile: name, bio, avatar, links", body: UpdateProfileBodySchema, response: { 200: ProfileSchema, ...errors } },
    }, async (req) => updateOrgProfile(res, req.auth, req.body));
  };
