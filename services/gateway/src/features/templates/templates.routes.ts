import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { asMaintenance } from '@weft/db';
import {
  GalleryItemSchema,
  GalleryQuerySchema,
  IdOrSlugParamSchema,
  ManagedTemplateSchema,
  ModerationBodySchema,
  ModerationQueueQuerySchema,
  ProblemSchema,
  ProfileSchema,
  PublishTemplateBodySchema,
  QueuedTemplateSchema,
  TemplateDetailSchema,
  TemplateVersionBodySchema,
  UuidParamSchema,
  listOf,
} from '@weft/workflow-schema';
import type { Resources } from '../../resources';
import { Moderators, moderateTemplate, moderationQueue, submitTemplate } from './moderation.service';
import { galleryRoutes } from './gallery.routes';
import { getProfile } from './profiles.service';
import { addTemplateVersion, publishTemplate } from './publish.service';
import { getPublicTemplate, listGallery } from './templates.read';

const errors = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema, 409: ProblemSchema };
const tags = ['templates'];
const open = { access: 'public' } as const;
const publish = { access: { permission: 'templates:publish' } } as const;

export interface TemplateRouteOptions {
  /** Slug of the platform org whose owner keys moderate templates (WEFT_PLATFORM_ORG). */
  platformOrg: string;
}

/** Templates: publish and version (creators), review (platform moderators), the public gallery and creator profiles. */
export const templateRoutes =
  (res: Resources, opts: TemplateRouteOptions): FastifyPluginAsyncZod =>
  async (app) => {
    const moderators = new Moderators(res, opts.platformOrg);
    await app.register(galleryRoutes(res, moderators));

    app.get('/v1/templates', {
      config: open,
      schema: {
        tags,
        operationId: 'listTemplates',
        summary: 'The public gallery: published templates, searched, filtered by tag, sorted',
        description: '`q` is full-text search (websearch syntax: words, "phrases", -excluded) over name, summary, tags and readme, ranked. `tag`, `category`, `integration` filter. `sort`: relevance (default with q), installs (default without), trending (installs of the last 7 days), newest. No API key needed.',
        querystring: GalleryQuerySchema,
        response: { 200: listOf(GalleryItemSchema), 400: ProblemSchema },
      },
    }, async (req) => listGallery(res, req.query));

    app.get('/v1/templates/:idOrSlug', {
      config: open,
      schema: {
        tags,
        operationId: 'getTemplate',
        summary: 'One published template: readme, credential slots, outbound domains, versions with notes, installs, creator',
        params: IdOrSlugParamSchema,
        response: { 200: TemplateDetailSchema, 404: ProblemSchema },
      },
    }, async (req) => getPublicTemplate(res, req.params.idOrSlug));

    app.post('/v1/templates', {
      config: publish,
      schema: {
        tags,
        operationId: 'publishTemplate',
        summary: 'Make a draft template of a published workflow version',
        description:
          'Pre-publish checks: a literal that looks like a credential (known key formats, URLs with a password, high-entropy strings) is refused with 400 naming the node and path; ' +
          'each secret the workflow reads becomes a credential slot; outbound domains and integrations are computed; undescribed slots are warnings on the version. The template starts as a draft: submit it for review.',
        body: PublishTemplateBodySchema,
        response: { 201: ManagedTemplateSchema, ...errors },
      },
    }, async (req, reply) => reply.status(201).send(await publishTemplate(res, req.auth, req.body)));

    app.post('/v1/templates/:id/versions', {
      config: publish,
      schema: { tags, operationId: 'addTemplateVersion', summary: 'Add the next immutable version from a newer workflow version, with release notes', params: UuidParamSchema, body: TemplateVersionBodySchema, response: { 201: ManagedTemplateSchema, ...errors } },
    }, async (req, reply) => reply.status(201).send(await addTemplateVersion(res, req.auth, req.params.id, req.body)));

    app.post('/v1/templates/:id/submit', {
      config: publish,
      schema: { tags, operationId: 'submitTemplate', summary: 'Submit the newest version for review (draft, rejected, unpublished or published → pending)', params: UuidParamSchema, response: { 200: ManagedTemplateSchema, ...errors } },
    }, async (req) => submitTemplate(res, req.auth, req.params.id));

    app.post('/v1/templates/:id/moderation', {
      config: { access: { permission: 'templates:moderate', orPlatformAdmin: true } },
      schema: {
        tags,
        operationId: 'moderateTemplate',
        summary: 'Approve, reject (with a reason), publish or unpublish a template: platform moderators only',
        description: 'Moderators are platform admins (signed-in users of WEFT_PLATFORM_ADMINS, in any org) and owners of the platform org (WEFT_PLATFORM_ORG, default `default`). pending → approved | rejected; approved → published (the submitted version becomes the public one); published → unpublished. Every action is a moderation event.',
        params: UuidParamSchema,
        body: ModerationBodySchema,
        response: { 200: ManagedTemplateSchema, ...errors },
      },
      // Moderators of the platform org review every org's templates: across orgs (row-level security).
    }, async (req) => asMaintenance(() => moderateTemplate(res, moderators, req.auth, req.params.id, req.body)));

    app.get('/v1/moderation/templates', {
      config: { access: { permission: 'templates:moderate', orPlatformAdmin: true } },
      schema: {
        tags,
        operationId: 'listModerationQueue',
        summary: 'The moderation queue: templates of every org in one status (default pending), by id',
        description: 'Platform moderators only (platform admins, and owners of WEFT_PLATFORM_ORG); any other caller gets 403.',
        querystring: ModerationQueueQuerySchema,
        response: { 200: listOf(QueuedTemplateSchema), ...errors },
      },
    }, async (req) => asMaintenance(() => moderationQueue(res, moderators, req.auth, req.query)));

    app.get('/v1/profiles/:handle', {
      config: open,
      schema: { tags, operationId: 'getProfile', summary: "A creator's public profile with their published templates and install counts", params: z.object({ handle: z.string().min(1).max(64) }), response: { 200: ProfileSchema, 404: ProblemSchema } },
    }, async (req) => getProfile(res, req.params.handle));
  };
