import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ProblemSchema, UsageAnswerSchema, UsageQuerySchema } from '@weft/workflow-schema';
import type { Resources } from '../../resources';
import { usageOf } from './usage.service';

const errors = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema };

export const usageRoutes =
  (res: Resources): FastifyPluginAsyncZod =>
  async (app) => {
    app.get('/v1/usage', {
      config: { access: { permission: 'runs:read' } },
      schema: {
        tags: ['usage'],
        operationId: 'getUsage',
        summary: "The org's metered usage in a range of days, grouped by day, workflow or node type, with its plan's quotas",
        description:
          'Kinds: `run` (runs started), `step_ms` (executor step milliseconds, every attempt), `llm_tokens_in`, `llm_tokens_out`, `http_bytes`. ' +
          '`from` and `to` are UTC days (YYYY-MM-DD), both included, at most 366 days apart. Days the daily aggregation has not closed (today) are counted from the events, so the numbers are current.',
        querystring: UsageQuerySchema,
        response: { 200: UsageAnswerSchema, ...errors },
      },
    }, async (req) => usageOf(res.db.pool, req.auth.orgId, req.query));
  };
