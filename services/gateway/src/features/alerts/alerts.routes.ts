import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  AlertDeliverySchema,
  AlertIncidentSchema,
  AlertRuleSchema,
  AlertTestAnswerSchema,
  CreateAlertRuleBodySchema,
  CreatedAlertRuleSchema,
  ListAlertIncidentsQuerySchema,
  ListQuerySchema,
  ProblemSchema,
  UpdateAlertRuleBodySchema,
  UuidParamSchema,
  listOf,
} from '@weft/workflow-schema';
import type { Resources } from '../../resources';
import { createRule, deleteRule, getRule, listDeliveries, listIncidents, listRules, testRule, updateRule } from './alerts.service';
import { deliveryView, incidentView, ruleView } from './serialize';

const errors = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema, 503: ProblemSchema };
const tags = ['alerts'];
// Editors change a workflow's alerts as they change the workflow; viewers see them.
const write = { access: { permission: 'workflows:write' } } as const;
const read = { access: { permission: 'workflows:read' } } as const;

/**
 * Alert rules of a workflow, their incidents and deliveries (docs/operating/alerts.md). The
 * executors evaluate rules when runs end and deliver the messages (services/executor/src/alerts).
 */
export const alertRoutes =
  (res: Resources): FastifyPluginAsyncZod =>
  async (app) => {
    app.post('/v1/workflows/:id/alerts', {
      config: write,
      schema: {
        tags,
        operationId: 'createAlert',
        summary: 'Add an alert rule to a workflow',
        description:
          'A condition over the workflow\'s finished runs (`failure`, `consecutive_failures`, `failure_rate`) opens an incident, notified once on the channel (`email`, `slack`, `webhook` signed with Standard Webhooks); the first success once the condition no longer holds resolves it (notified when `notifyRecovery`). ' +
          'Channel secrets are stored encrypted and never shown back; a generated webhook secret is in this answer only (`secret`).',
        params: UuidParamSchema,
        body: CreateAlertRuleBodySchema,
        response: { 201: CreatedAlertRuleSchema, ...errors },
      },
    }, async (req, reply) => {
      const { rule, secret } = await createRule(res, req.auth.orgId, req.params.id, req.body);
      return reply.status(201).send({ ...ruleView(rule), ...(secret ? { secret } : {}) });
    });

    app.get('/v1/workflows/:id/alerts', {
      config: read,
      schema: { tags, operationId: 'listWorkflowAlerts', summary: "A workflow's alert rules, newest first", params: UuidParamSchema, querystring: ListQuerySchema, response: { 200: listOf(AlertRuleSchema), ...errors } },
    }, async (req) => {
      const p = await listRules(res, req.auth.orgId, req.params.id, req.query);
      return { items: p.items.map(ruleView), nextCursor: p.nextCursor };
    });

    app.get('/v1/alerts/:id', {
      config: read,
      schema: { tags, operationId: 'getAlert', summary: 'An alert rule', params: UuidParamSchema, response: { 200: AlertRuleSchema, ...errors } },
    }, async (req) => ruleView(await getRule(res, req.auth.orgId, req.params.id)));

    app.patch('/v1/alerts/:id', {
      config: write,
      schema: {
        tags,
        operationId: 'updateAlert',
        summary: 'Change an alert rule (name, condition, channel, notifyRecovery, enabled)',
        description: 'A new channel replaces the old one and its secret. A new condition counts from the next run that ends.',
        params: UuidParamSchema,
        body: UpdateAlertRuleBodySchema,
        response: { 200: CreatedAlertRuleSchema, ...errors },
      },
    }, async (req) => {
      const { rule, secret } = await updateRule(res, req.auth.orgId, req.params.id, req.body);
      return { ...ruleView(rule), ...(secret ? { secret } : {}) };
    });

    app.delete('/v1/alerts/:id', {
      config: write,
      schema: { tags, operationId: 'deleteAlert', summary: 'Delete an alert rule with its incidents and deliveries (204)', params: UuidParamSchema, response: { 204: z.null().describe('Deleted'), ...errors } },
    }, async (req, reply) => {
      await deleteRule(res, req.auth.orgId, req.params.id);
      return reply.status(204).send(null);
    });

    app.post('/v1/alerts/:id/test', {
      config: write,
      schema: {
        tags,
        operationId: 'testAlert',
        summary: "Send a test message on the rule's channel",
        description: 'Answers 202 at once; the delivery and its attempts show in GET /v1/alerts/:id/deliveries.',
        params: UuidParamSchema,
        response: { 202: AlertTestAnswerSchema, ...errors },
      },
    }, async (req, reply) => reply.status(202).send({ deliveryId: await testRule(res, req.auth.orgId, req.params.id) }));

    app.get('/v1/alerts/:id/deliveries', {
      config: read,
      schema: { tags, operationId: 'listAlertDeliveries', summary: "A rule's deliveries with their attempts (status, response code), newest first", params: UuidParamSchema, querystring: ListQuerySchema, response: { 200: listOf(AlertDeliverySchema), ...errors } },
    }, async (req) => {
      const p = await listDeliveries(res, req.auth.orgId, req.params.id, req.query);
      return { items: p.items.map(deliveryView), nextCursor: p.nextCursor };
    });

    app.get('/v1/alert-incidents', {
      config: read,
      schema: {
        tags,
        operationId: 'listAlertIncidents',
        summary: 'Alert incidents, newest first (filter by workflowId, ruleId, status)',
        querystring: ListAlertIncidentsQuerySchema,
        response: { 200: listOf(AlertIncidentSchema), ...errors },
      },
    }, async (req) => {
      const p = await listIncidents(res, req.auth.orgId, req.query);
      return { items: p.items.map(incidentView), nextCursor: p.nextCursor };
    });
  };
