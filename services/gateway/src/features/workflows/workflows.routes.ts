import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  CreateVersionBodySchema,
  CreateWorkflowBodySchema,
  DraftAnswerSchema,
  ListQuerySchema,
  ListWorkflowsQuerySchema,
  ProblemSchema,
  PutDraftBodySchema,
  UuidParamSchema,
  ValidateAnswerSchema,
  ValidateBodySchema,
  WorkflowSchema,
  WorkflowVersionSchema,
  listOf,
} from '@weft/workflow-schema';
import type { Resources } from '../../resources';
import { versionView, workflowView } from './serialize';
import * as svc from './workflows.service';

const errors = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema };

export const workflowRoutes =
  (res: Resources): FastifyPluginAsyncZod =>
  async (app) => {
    app.post('/v1/workflows', {
      config: { access: { permission: 'workflows:write' } },
      schema: { tags: ['workflows'], operationId: 'createWorkflow', summary: 'Create a workflow', body: CreateWorkflowBodySchema, response: { 201: WorkflowSchema, ...errors } },
    }, async (req, reply) => reply.status(201).send(workflowView(await svc.createWorkflow(res.db, req.auth, req.body))));

    app.get('/v1/workflows', {
      config: { access: { permission: 'workflows:read' } },
      schema: { tags: ['workflows'], operationId: 'listWorkflows', summary: 'List workflows, newest first (search the name with q, filter by tag and enabled)', querystring: ListWorkflowsQuerySchema, response: { 200: listOf(WorkflowSchema), ...errors } },
    }, async (req) => {
      const p = await svc.listWorkflows(res.db, req.auth.orgId, req.query);
      return { items: p.items.map(workflowView), nextCursor: p.nextCursor };
    });

    app.get('/v1/workflows/:id', {
      config: { access: { permission: 'workflows:read' } },
      schema: { tags: ['workflows'], operationId: 'getWorkflow', summary: 'Get a workflow', params: UuidParamSchema, response: { 200: WorkflowSchema, ...errors } },
    }, async (req) => workflowView(await svc.getWorkflow(res.db, req.auth.orgId, req.params.id)));

    app.put('/v1/workflows/:id/draft', {
      config: { access: { permission: 'workflows:write' } },
      schema: {
        tags: ['workflows'],
        operationId: 'saveDraft',
        summary: 'Save the draft (may be incomplete; problems are listed)',
        params: UuidParamSchema,
        body: PutDraftBodySchema,
        response: { 200: DraftAnswerSchema, ...errors },
      },
    }, async (req) => {
      const r = await svc.saveDraft(res.db, req.auth.orgId, req.params.id, req.body.definition);
      return { ...workflowView(r.workflow), problems: r.problems };
    });

    app.post('/v1/workflows/:id/versions', {
      config: { access: { permission: 'workflows:write' } },
      schema: {
        tags: ['workflows'],
        operationId: 'publishVersion',
        summary: 'Publish an immutable version (default: the draft)',
        params: UuidParamSchema,
        body: CreateVersionBodySchema.default({}),
        response: { 201: WorkflowVersionSchema, ...errors },
      },
    }, async (req, reply) =>
      reply.status(201).send(versionView(await svc.publishVersion(res.db, req.auth, req.params.id, req.body?.definition))));

    app.get('/v1/workflows/:id/versions', {
      config: { access: { permission: 'workflows:read' } },
      schema: { tags: ['workflows'], operationId: 'listVersions', summary: 'List versions, newest first', params: UuidParamSchema, querystring: ListQuerySchema, response: { 200: listOf(WorkflowVersionSchema), ...errors } },
    }, async (req) => {
      const p = await svc.listVersions(res.db, req.auth.orgId, req.params.id, req.query.limit, req.query.cursor);
      return { items: p.items.map(versionView), nextCursor: p.nextCursor };
    });

    app.get('/v1/workflow-versions/:id', {
      config: { access: { permission: 'workflows:read' } },
      schema: { tags: ['workflows'], operationId: 'getVersion', summary: 'Get a version', params: UuidParamSchema, response: { 200: WorkflowVersionSchema, ...errors } },
    }, async (req) => versionView(await svc.getVersion(res.db, req.auth.orgId, req.params.id)));

    app.post('/v1/workflows/validate', {
      config: { access: { permission: 'workflows:read' } },
      schema: { tags: ['workflows'], operationId: 'validateWorkflow', summary: 'Validate a definition without saving it', body: ValidateBodySchema, response: { 200: ValidateAnswerSchema, ...errors } },
    }, async (req) => {
      const r = await svc.validateForOrg(res.db, req.auth.orgId, req.body.definition);
      return { valid: r.valid, errors: r.errors };
    });
  };
