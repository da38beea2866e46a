import type { FastifyInstance } from 'fastify';
import { withOrg } from '@weft/db';
import { principalOf } from './access-control';

/**
 * Row-level security for request-driven code: the handler of an authenticated route (and every
 * query it starts) acts for the principal's org only, through the `weft_app` role. Cross-org reads
 * a handler needs on purpose (the public template gallery, a user's other orgs) say so with
 * `asMaintenance`. A preHandler, not onRequest: it runs after the body is read, and Fastify calls
 * the handler synchronously from it, so the scope reaches the handler.
 */
export function registerOrgScope(app: FastifyInstance) {
  app.addHook('preHandler', (req, _reply, done) => {
    const principal = principalOf(req);
    if (principal) withOrg(principal.orgId, done);
    else done();
  });
}
