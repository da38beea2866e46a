import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { AuditEntrySchema, AuditLogQuerySchema, ProblemSchema, listOf } from '@weft/workflow-schema';
import type { Resources } from '../../resources';
import { listAuditLogs } from './audit-logs.service';

const errors = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema };

export const auditLogRoutes =
  (res: Resources): FastifyPluginAsyncZod =>
  async (app) => {
    app.get('/v1/audit-logs', {
      config: { access: { permission: 'audit:read' } },
      schema: {
        tags: ['accounts'],
        operationId: 'listAuditLogs',
        summary: "A cursor page of the org's audit log, newest first",
        description:
          'Append-only entries for API key creation and revocation, secret changes, publishing, and run cancel/approve/reject/retry. ' +
          'Filter by `action`, `actor` (an API key id) and time (`from` inclusive, `to` exclusive); pass `nextCursor` as `cursor` for the next page.',
        querystring: AuditLogQuerySchema,
        response: { 200: listOf(AuditEntrySchema), ...errors },
      },
    }, async (req) => listAuditLogs(res.db.pool, req.auth.orgId, req.query));
  };
