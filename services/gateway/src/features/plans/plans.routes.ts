import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { listPlans, planById, setOrgPlan, upsertPlan } from '@weft/billing';
import { asMaintenance } from '@weft/db';
import { ProblemSchema } from '@weft/workflow-schema';
import { z } from 'zod';
import { PLATFORM_ADMIN, platformAdminOnly } from '../../auth/platform-admin';
import { AppError } from '../../errors';
import type { Resources } from '../../resources';
import { writeAudit } from '../audit/audit-writer';
import { OrgParamsSchema, OrgPlanSchema, PlanBodySchema, PlanParamsSchema, PlanSchema, SetOrgPlanBodySchema } from './plans.schemas';

const errors = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema };
const tags = ['plans'];
const WHAT = 'plans are managed by';

/**
 * Plans and their quotas (docs/operating/usage.md), for platform admins: list them, create or
 * change one, put an org on one. Across orgs (the maintenance role), like feature flags.
 */
export const planRoutes =
  (res: Resources): FastifyPluginAsyncZod =>
  async (app) => {
    app.get('/v1/admin/plans', {
      config: { access: PLATFORM_ADMIN },
      schema: { tags, operationId: 'listPlansAdmin', summary: 'Every plan with its quotas and prices (platform admins)', response: { 200: z.object({ items: z.array(PlanSchema) }), ...errors } },
    }, async (req) => {
      platformAdminOnly(req.auth, WHAT);
      return { items: await asMaintenance(() => listPlans(res.db.pool)) };
    });

    app.put('/v1/admin/plans/:planId', {
      config: { access: PLATFORM_ADMIN },
      schema: { tags, operationId: 'putPlanAdmin', summary: "Create a plan or replace its name, quotas and prices (platform admins; orgs on it see the change within the quota guard's 10 s cache)", params: PlanParamsSchema, body: PlanBodySchema, response: { 200: PlanSchema, ...errors } },
    }, async (req) => {
      platformAdminOnly(req.auth, WHAT);
      await asMaintenance(() => upsertPlan(res.db.pool, { id: req.params.planId, ...req.body }));
      return (await asMaintenance(() => planById(res.db.pool, req.params.planId)))!;
    });

    app.put('/v1/admin/orgs/:orgId/plan', {
      config: { access: PLATFORM_ADMIN },
      schema: { tags, operationId: 'setOrgPlan', summary: "Put an org on a plan (platform admins; audited in that org as org.plan_changed)", params: OrgParamsSchema, body: SetOrgPlanBodySchema, response: { 200: OrgPlanSchema, ...errors } },
    }, async (req) => {
      const by = platformAdminOnly(req.auth, WHAT);
      const { orgId } = req.params;
      const { planId } = req.body;
      const done = await asMaintenance(() => setOrgPlan(res.db.pool, orgId, planId));
      if (done === 'no_plan') throw new AppError('validation_failed', `no plan ${planId}`, [{ path: 'body.planId', code: 'unknown_plan', message: `no plan "${planId}" (GET /v1/admin/plans lists them)` }]);
      if (done === 'no_org') throw new AppError('not_found', `no org ${orgId}`);
      // The target org's log, across orgs (row-level security): the admin acts in another org.
      await asMaintenance(() => writeAudit(res.db.pool, { orgId, actorType: 'user', actorId: by, action: 'org.plan_changed', targetType: 'org', targetId: orgId, data: { planId: { from: done.from, to: planId } } }));
      return { orgId, planId };
    });
  };
