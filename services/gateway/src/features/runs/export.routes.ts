import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { exportRun } from '@weft/run-store';
import { ProblemSchema, UuidParamSchema } from '@weft/workflow-schema';
import { notFound } from '../../errors';
import type { Resources } from '../../resources';

const errors = { 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema };

export const runExportRoutes =
  (res: Resources): FastifyPluginAsyncZod =>
  async (app) => {
    app.get('/v1/runs/:id/export', {
      config: { access: { permission: 'runs:read' } },
      schema: {
        tags: ['runs'],
        operationId: 'exportRun',
        summary: 'The whole run as JSON Lines: the run, each step attempt, each event, each log line',
        description:
          '`application/x-ndjson`, one JSON object per line, each with a `type`: first `run` (with its inputs and output), then every `step` ' +
          '(creation order, with input and output), every `event` (seq order) and every `log` line (the order they were said). Read in one ' +
          "transaction: a consistent picture of a run that is still moving. Save it before the org's retention clears the run's data " +
          '(docs/operating/retention.md); after that the export holds the summary only (`dataPurgedAt` set). Iterations of a for_each are runs of their own.',
        params: UuidParamSchema,
        // Sent as text (application/x-ndjson): a string is not serialized again.
        response: { 200: z.string().describe('JSON Lines: one JSON object per line'), ...errors },
      },
    }, async (req, reply) => {
      const client = await res.db.pool.connect();
      let lines: string[] | undefined;
      try {
        await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
        lines = await exportRun(client, req.params.id, req.auth.orgId);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        client.release();
      }
      if (!lines) throw notFound('run', req.params.id);
      return reply
        .type('application/x-ndjson; charset=utf-8')
        .header('content-disposition', `attachment; filename="run-${req.params.id}.jsonl"`)
        .send(`${lines.join('\n')}\n`);
    });
  };
