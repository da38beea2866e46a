import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { iterationPage } from '@weft/run-store';
import { IterationsAnswerSchema, IterationsParamsSchema, IterationsQuerySchema, ProblemSchema } from '@weft/workflow-schema';
import { notFound } from '../../errors';
import type { Resources } from '../../resources';
import { iterationView } from './serialize';

const errors = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema };

/** The items of a for_each step (read-only): one iteration run per item, in item order, with counts by status. */
export const iterationRoutes =
  (res: Resources): FastifyPluginAsyncZod =>
  async (app) => {
    app.get('/v1/runs/:id/steps/:stepId/iterations', {
      config: { access: { permission: 'runs:read' } },
      schema: {
        tags: ['runs'],
        operationId: 'listStepIterations',
        summary: "A cursor page of a for_each step's iterations, in item order, with counts by status",
        description:
          'Each item of a for_each whose body is not pure runs as an iteration run: open one with `GET /v1/runs/{runId}` to see the body\'s steps. ' +
          '`counts` covers every page; `cursor` is the previous page\'s `nextCursor` (an item index). A loop whose pure body ran in place lists none.',
        params: IterationsParamsSchema,
        querystring: IterationsQuerySchema,
        response: { 200: IterationsAnswerSchema, ...errors },
      },
    }, async (req) => {
      const page = await iterationPage(res.db, req.auth.orgId, req.params.id, req.params.stepId, req.query);
      if (!page) throw notFound('step', req.params.stepId);
      return { items: page.items.map(iterationView), nextCursor: page.nextCursor, counts: page.counts, itemsTotal: page.itemsTotal };
    });
  };
