import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  CreateWebhookBodySchema,
  CreatedWebhookSchema,
  DeliveryAnswerSchema,
  ListQuerySchema,
  ListWebhooksQuerySchema,
  ProblemSchema,
  RotateWebhookSecretBodySchema,
  RotatedWebhookSecretSchema,
  TestWebhookBodySchema,
  UpdateWebhookBodySchema,
  UuidParamSchema,
  WebhookDeliverySchema,
  WebhookSchema,
  WebhookTestAnswerSchema,
  listOf,
} from '@weft/workflow-schema';
import type { Resources } from '../../resources';
import { listDeliveries, replayDelivery } from './deliveries.service';
import { deliveryView, webhookView } from './serialize';
import { sendTestEvent } from './test-event';
import { createWebhook, deleteWebhook, getWebhook, listOrgWebhooks, listWebhooks, rotateWebhookSecret, updateWebhook, withSecrets } from './webhooks.service';

const errors = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema, 409: ProblemSchema, 503: ProblemSchema };
const tags = ['webhooks'];
const manage = { access: { permission: 'webhooks:manage' } } as const;
const read = { access: { permission: 'workflows:read' } } as const;

/**
 * A workflow's webhooks: the management API. Deliveries go to the webhooks service (its own
 * process: services/webhooks), at `<ingressUrl>/hooks/:id`.
 */
export const webhookRoutes =
  (res: Resources, ingressUrl: string, deliverTo: string = ingressUrl): FastifyPluginAsyncZod =>
  async (app) => {
    const view = (v: { hook: Parameters<typeof webhookView>[0]; secrets: Parameters<typeof webhookView>[1] }) => webhookView(v.hook, v.secrets, ingressUrl);

    app.post('/v1/workflows/:id/webhooks', {
      config: manage,
      schema: {
        tags,
        operationId: 'createWebhook',
        summary: 'Create a signed webhook that starts runs of the workflow',
        description:
          'Answers the ingress `url` (deliveries are POSTed there). Without `verification.secret` one is generated and shown only in this answer. ' +
          "Each accepted delivery starts a run of the workflow's latest published version (triggerType `webhook`, triggerId the webhook's id) with inputs `{ body, headers, query, deliveryId, receivedAt }`.",
        params: UuidParamSchema,
        body: CreateWebhookBodySchema,
        response: { 201: CreatedWebhookSchema, ...errors },
      },
    }, async (req, reply) => {
      const created = await createWebhook(res, req.auth, req.params.id, req.body);
      return reply.status(201).send({ ...view(created), ...(created.generated ? { secret: created.generated } : {}) });
    });

    app.get('/v1/workflows/:id/webhooks', {
      config: read,
      schema: { tags, operationId: 'listWorkflowWebhooks', summary: "List a workflow's webhooks, newest first", params: UuidParamSchema, querystring: ListQuerySchema, response: { 200: listOf(WebhookSchema), ...errors } },
    }, async (req) => {
      const p = await listWebhooks(res, req.auth.orgId, req.params.id, req.query);
      return { items: p.items.map(view), nextCursor: p.nextCursor };
    });

    app.get('/v1/webhooks', {
      config: read,
      schema: { tags, operationId: 'listWebhooks', summary: "List the org's webhooks, newest first (`workflowId` filters)", querystring: ListWebhooksQuerySchema, response: { 200: listOf(WebhookSchema), ...errors } },
    }, async (req) => {
      const p = await listOrgWebhooks(res, req.auth.orgId, req.query);
      return { items: p.items.map(view), nextCursor: p.nextCursor };
    });

    app.get('/v1/webhooks/:id', {
      config: read,
      schema: { tags, operationId: 'getWebhook', summary: 'A webhook (its secrets by id and validity, never their values)', params: UuidParamSchema, response: { 200: WebhookSchema, ...errors } },
    }, async (req) => view((await withSecrets(res, req.auth.orgId, [await getWebhook(res, req.auth.orgId, req.params.id)]))[0]!));

    app.patch('/v1/webhooks/:id', {
      config: manage,
      schema: { tags, operationId: 'updateWebhook', summary: 'Change a webhook (mode, syncTimeoutMs, dedupeHeader, inputs, enabled); a disabled one answers 404', params: UuidParamSchema, body: UpdateWebhookBodySchema, response: { 200: WebhookSchema, ...errors } },
    }, async (req) => view(await updateWebhook(res, req.auth, req.params.id, req.body)));

    app.delete('/v1/webhooks/:id', {
      config: manage,
      schema: { tags, operationId: 'deleteWebhook', summary: 'Delete a webhook (204): its URL answers 410 from then on; the runs it started stay', params: UuidParamSchema, response: { 204: z.null().describe('Deleted'), ...errors } },
    }, async (req, reply) => {
      await deleteWebhook(res, req.auth, req.params.id);
      return reply.status(204).send(null);
    });

    app.post('/v1/webhooks/:id/rotate-secret', {
      config: manage,
      schema: {
        tags,
        operationId: 'rotateWebhookSecret',
        summary: 'Add a new signing secret; the previous ones keep verifying for graceSeconds',
        params: UuidParamSchema,
        body: RotateWebhookSecretBodySchema,
        response: { 200: RotatedWebhookSecretSchema, ...errors },
      },
    }, async (req) => rotateWebhookSecret(res, req.auth, req.params.id, req.body));

    app.get('/v1/webhooks/:id/deliveries', {
      config: read,
      schema: {
        tags,
        operationId: 'listWebhookDeliveries',
        summary: "The webhook's delivery log, newest first: received, verified or why not, deduped, run, latency, status",
        params: UuidParamSchema,
        querystring: ListQuerySchema,
        response: { 200: listOf(WebhookDeliverySchema), ...errors },
      },
    }, async (req) => {
      const p = await listDeliveries(res, req.auth.orgId, req.params.id, req.query);
      return { items: p.items.map(deliveryView), nextCursor: p.nextCursor };
    });

    app.post('/v1/webhooks/:id/test', {
      config: manage,
      schema: {
        tags,
        operationId: 'sendWebhookTestEvent',
        summary: "Send a test event: signed here with the hook's current secret, delivered to its URL, answered with what the ingress said",
        description:
          'The delivery goes through the real ingress (verified, deduplicated, logged, starting a run like any other). ' +
          'The secret never leaves the server. 409 when the hook is disabled; 503 when the webhooks service does not answer.',
        params: UuidParamSchema,
        body: TestWebhookBodySchema.nullish(),
        response: { 200: WebhookTestAnswerSchema, ...errors },
      },
    }, async (req) => sendTestEvent(res, req.auth, req.params.id, deliverTo, req.body ?? {}));

    app.post('/v1/webhook-deliveries/:id/replay', {
      config: manage,
      schema: {
        tags,
        operationId: 'replayWebhookDelivery',
        summary: 'Start the run of an accepted delivery again (a new delivery, replayOf the original)',
        params: UuidParamSchema,
        response: { 202: DeliveryAnswerSchema, ...errors },
      },
    }, async (req, reply) => reply.status(202).send(await replayDelivery(res, req.auth, req.params.id)));
  };
