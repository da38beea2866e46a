import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { workflowRunStats } from '@weft/run-store';
import { z } from 'zod';
import {
  DuplicateWorkflowBodySchema,
  ProblemSchema,
  RollbackBodySchema,
  UpdateWorkflowBodySchema,
  UuidParamSchema,
  VersionDiffAnswerSchema,
  VersionDiffQuerySchema,
  WorkflowSchema,
  WorkflowStatsAnswerSchema,
  WorkflowStatsQuerySchema,
  WorkflowVersionSchema,
} from '@weft/workflow-schema';
import type { Resources } from '../../resources';
import { versionView, workflowView } from './serialize';
import { deleteWorkflow, duplicateWorkflow, updateWorkflow } from './workflow-admin.service';
import { diffVersions, rollback } from './versions.service';

const errors = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema };
const tags = ['workflows'];

/** Managing workflows (issue 16): rename/tag/enable, delete, duplicate, version diff and rollback, list statistics. */
export const workflowAdminRoutes =
  (res: Resources): FastifyPluginAsyncZod =>
  async (app) => {
    app.patch('/v1/workflows/:id', {
      config: { access: { permission: 'workflows:write' } },
      schema: {
        tags,
        operationId: 'updateWorkflow',
        summary: 'Rename, describe, tag, enable or disable a workflow (a disabled workflow starts no run: API runs and webhooks answer 409, schedules skip)',
        params: UuidParamSchema,
        body: UpdateWorkflowBodySchema,
        response: { 200: WorkflowSchema, ...errors },
      },
    }, async (req) => workflowView(await updateWorkflow(res.db, req.auth, req.params.id, req.body)));

    app.delete('/v1/workflows/:id', {
      config: { access: { permission: 'workflows:write' } },
      schema: {
        tags,
        operationId: 'deleteWorkflow',
        summary: 'Delete (archive) a workflow: it answers 404 from now on, its webhooks 410, its schedules fire nothing; its runs are kept for their retention',
        params: UuidParamSchema,
        response: { 204: z.null().describe('Deleted'), ...errors },
      },
    }, async (req, reply) => {
      await deleteWorkflow(res.db, req.auth, req.params.id);
      return reply.status(204).send(null);
    });

    app.post('/v1/workflows/:id/duplicate', {
      config: { access: { permission: 'workflows:write' } },
      schema: {
        tags,
        operationId: 'duplicateWorkflow',
        summary: "Duplicate a workflow as a new draft (the source's draft and tags; no versions, no triggers)",
        params: UuidParamSchema,
        body: DuplicateWorkflowBodySchema.default({}),
        response: { 201: WorkflowSchema, ...errors },
      },
    }, async (req, reply) => reply.status(201).send(workflowView(await duplicateWorkflow(res.db, req.auth, req.params.id, req.body?.name))));

    app.get('/v1/workflows/:id/versions/diff', {
      config: { access: { permission: 'workflows:read' } },
      schema: {
        tags,
        operationId: 'diffVersions',
        summary: 'The semantic diff between two versions (or a version and the draft): nodes added/removed/changed with config fields old → new, edges, settings',
        params: UuidParamSchema,
        querystring: VersionDiffQuerySchema,
        response: { 200: VersionDiffAnswerSchema, ...errors },
      },
    }, async (req) => diffVersions(res.db, req.auth.orgId, req.params.id, req.query.from, req.query.to));

    app.post('/v1/workflows/:id/rollback', {
      config: { access: { permission: 'workflows:write' } },
      schema: {
        tags,
        operationId: 'rollbackVersion',
        summary: 'Roll back: publish the definition of an older version again, as a new version',
        params: UuidParamSchema,
        body: RollbackBodySchema,
        response: { 201: WorkflowVersionSchema, ...errors },
      },
    }, async (req, reply) => reply.status(201).send(versionView(await rollback(res.db, req.auth, req.params.id, req.body.version))));

    app.get('/v1/workflows/stats', {
      config: { access: { permission: 'runs:read' } },
      schema: {
        tags,
        operationId: 'workflowStats',
        summary: "Per workflow: its last run and its runs per UTC day (succeeded, failed, total) over the last `days` days; test runs left out",
        querystring: WorkflowStatsQuerySchema,
        response: { 200: WorkflowStatsAnswerSchema, ...errors },
      },
    }, async (req) => ({ items: await workflowRunStats(res.db.pool, req.auth.orgId, req.query.ids, req.query.days) }));
  };
