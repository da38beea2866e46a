import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { asMaintenance } from '@weft/db';
import type { FeatureFlags } from '@weft/flags';
import { ProblemSchema } from '@weft/workflow-schema';
import { z } from 'zod';
import { PLATFORM_ADMIN as ADMIN, platformAdminOnly } from '../../auth/platform-admin';
import type { Principal } from '../../auth/principal';
import { AppError } from '../../errors';
import type { Resources } from '../../resources';
import { writeAudit } from '../audit/audit-writer';
import { FlagOverviewSchema, FlagParamsSchema, FlagStateSchema, OrgFlagParamsSchema, SetFlagBodySchema } from './flags.schemas';

const errors = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema };
const tags = ['feature flags'];
const adminOnly = (p: Principal) => platformAdminOnly(p, 'feature flags are set by');

/**
 * Feature flags (beta features per org): every caller reads its org's flags; platform admins set a
 * flag's default or one org's value. Changes reach every process within a moment (announced on
 * Redis) and are read from memory on the hot path.
 */
export const flagRoutes =
  (res: Resources, flags: FeatureFlags): FastifyPluginAsyncZod =>
  async (app) => {
    app.get('/v1/feature-flags', {
      config: { access: { permission: 'org:read' } },
      schema: { tags, operationId: 'listFeatureFlags', summary: "The feature flags of the caller's org, with where each value comes from", response: { 200: z.object({ items: z.array(FlagStateSchema) }), ...errors } },
    }, async (req) => ({ items: flags.forOrg(req.auth.orgId) }));

    app.get('/v1/admin/feature-flags', {
      config: { access: ADMIN },
      schema: { tags, operationId: 'listFeatureFlagsAdmin', summary: 'Every flag with its default and the orgs that have their own value (platform admins)', response: { 200: z.object({ items: z.array(FlagOverviewSchema) }), ...errors } },
    }, async (req) => {
      adminOnly(req.auth);
      return { items: flags.overview() };
    });

    app.put('/v1/admin/feature-flags/:key', {
      config: { access: ADMIN },
      schema: { tags, operationId: 'setFeatureFlagDefault', summary: "Set a flag's default for every org (null: back to the default in code; platform admins)", params: FlagParamsSchema, body: SetFlagBodySchema, response: { 200: FlagOverviewSchema, ...errors } },
    }, async (req) => {
      const by = adminOnly(req.auth);
      await flags.setDefault(req.params.key, req.body.enabled, by);
      return flags.overview().find((f) => f.key === req.params.key)!;
    });

    app.put('/v1/admin/orgs/:orgId/feature-flags/:key', {
      config: { access: ADMIN },
      schema: { tags, operationId: 'setOrgFeatureFlag', summary: "Set a flag for one org (null: the org follows the default again; platform admins; audited in that org)", params: OrgFlagParamsSchema, body: SetFlagBodySchema, response: { 200: FlagStateSchema, ...errors } },
    }, async (req) => {
      const by = adminOnly(req.auth);
      const { orgId, key } = req.params;
      if (!(await flags.setForOrg(orgId, key, req.body.enabled, by))) throw new AppError('not_found', `no org ${orgId}`);
      // The target org's log, across orgs (row-level security): the admin may act in another org.
      await asMaintenance(() => writeAudit(res.db.pool, { orgId, actorType: 'user', actorId: by, action: 'feature_flag.updated', targetType: 'feature_flag', targetId: null, data: { key, enabled: req.body.enabled } }));
      return flags.forOrg(orgId).find((f) => f.key === key)!;
    });
  };
