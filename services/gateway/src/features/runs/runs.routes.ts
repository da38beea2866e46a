import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  CreateRunAnswerSchema,
  CreateRunBodySchema,
  ListRunsQuerySchema,
  ProblemSchema,
  RunEventsAnswerSchema,
  RunSchema,
  RunSummarySchema,
  UuidParamSchema,
  listOf,
} from '@weft/workflow-schema';
import type { Resources } from '../../resources';
import { createRun } from './create-run';
import { getRun, listRunEvents, listRuns } from './runs.service';
import { eventView, runSummaryView, runView } from './serialize';

const errors = { 400: ProblemSchema, 401: ProblemSchema, 404: ProblemSchema, 409: ProblemSchema };

export const runRoutes =
  (res: Resources): FastifyPluginAsyncZod =>
  async (app) => {
    app.post('/v1/runs', {
      schema: {
        tags: ['runs'],
        summary: 'Start a run (202; idempotent with an idempotency key)',
        body: CreateRunBodySchema,
        headers: z.object({ 'idempotency-key': z.string().min(1).max(255).optional() }).passthrough(),
        response: { 202: CreateRunAnswerSchema, ...errors },
      },
    }, async (req, reply) => {
      const r = await createRun(res, req.auth.orgId, req.body, req.headers['idempotency-key']);
      if (r.replayed) reply.header('idempotent-replayed', 'true');
      return reply.status(202).send({ runId: r.runId });
    });

    app.get('/v1/runs', {
      schema: { tags: ['runs'], summary: 'List runs, newest first', querystring: ListRunsQuerySchema, response: { 200: listOf(RunSummarySchema), ...errors } },
    }, async (req) => {
      const p = await listRuns(res.db, req.auth.orgId, req.query);
      return { items: p.items.map(runSummaryView), nextCursor: p.nextCursor };
    });

    app.get('/v1/runs/:id', {
      schema: { tags: ['runs'], summary: 'Get a run with its steps and logs', params: UuidParamSchema, response: { 200: RunSchema, ...errors } },
    }, async (req) => {
      const r = await getRun(res.db, req.auth.orgId, req.params.id);
      return runView(r.run, r.steps, r.logs);
    });

    app.get('/v1/runs/:id/events', {
      schema: { tags: ['runs'], summary: "The run's append-only event history, in order", params: UuidParamSchema, response: { 200: RunEventsAnswerSchema, ...errors } },
    }, async (req) => ({ items: (await listRunEvents(res.db, req.auth.orgId, req.params.id)).map(eventView) }));
  };
