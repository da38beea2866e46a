import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { runUsage } from '@weft/run-store';
import { ProblemSchema, RunUsageAnswerSchema, RunUsageQuerySchema } from '@weft/workflow-schema';
import type { Resources } from '../../resources';

const errors = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema };

/** `GET /v1/runs/usage`: runs and step time of a range, counted from the runs (the dashboard's "usage this month"). */
export const runUsageRoutes =
  (res: Resources): FastifyPluginAsyncZod =>
  async (app) => {
    app.get('/v1/runs/usage', {
      config: { access: { permission: 'runs:read' } },
      schema: {
        tags: ['runs'],
        operationId: 'runUsage',
        summary: 'How many runs the org started in a time range and how long their steps executed',
        description:
          'Counted from the runs table (no metering): top-level runs created in [`since`, `until`), test runs among them, and the ended step attempts of those runs ' +
          '(and their for_each iterations) with the sum of their time from start to end.',
        querystring: RunUsageQuerySchema,
        response: { 200: RunUsageAnswerSchema, ...errors },
      },
    }, async (req) => ({ since: req.query.since ?? null, until: req.query.until ?? null, ...(await runUsage(res.db.pool, req.auth.orgId, req.query)) }));
  };
