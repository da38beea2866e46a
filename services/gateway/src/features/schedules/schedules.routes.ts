import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  CreateScheduleBodySchema,
  CronPreviewQuerySchema,
  CronPreviewSchema,
  ListQuerySchema,
  ListSchedulesQuerySchema,
  ProblemSchema,
  ScheduleFireSchema,
  SchedulePreviewQuerySchema,
  SchedulePreviewSchema,
  ScheduleSchema,
  UpdateScheduleBodySchema,
  UuidParamSchema,
  listOf,
} from '@weft/workflow-schema';
import type { Resources } from '../../resources';
import { bodyFieldWithinLimits } from '../runs/value-limits';
import { fireView, scheduleView } from './serialize';
import { createSchedule, deleteSchedule, getSchedule, listFires, listOrgSchedules, listSchedules, previewExpression, previewSchedule, updateSchedule } from './schedules.service';

const errors = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema, 409: ProblemSchema };
const tags = ['schedules'];
const manage = { access: { permission: 'schedules:manage' } } as const;
const read = { access: { permission: 'workflows:read' } } as const;

/** Cron schedules of a workflow; the orchestrator's scheduler fires them (services/orchestrator/src/scheduler.ts). */
export const scheduleRoutes =
  (res: Resources): FastifyPluginAsyncZod =>
  async (app) => {
    const inputsWithinLimits = bodyFieldWithinLimits(res, 'inputs', 'the schedule inputs');

    app.post('/v1/workflows/:id/schedules', {
      config: manage,
      preValidation: inputsWithinLimits,
      schema: {
        tags,
        operationId: 'createSchedule',
        summary: 'Schedule a workflow with a cron expression in a time zone',
        description:
          "Each fire starts a run of the workflow's latest published version (triggerType `schedule`, triggerId the schedule's id), exactly once per nominal time whatever the number of schedulers. " +
          'An invalid expression or zone is a 400 naming `body.cron` or `body.timezone`; inputs are checked against the trigger inputSchema like POST /v1/runs. 409 when the workflow has no published version.',
        params: UuidParamSchema,
        body: CreateScheduleBodySchema,
        response: { 201: ScheduleSchema, ...errors },
      },
    }, async (req, reply) => reply.status(201).send(scheduleView(await createSchedule(res, req.auth.orgId, req.params.id, req.body))));

    app.get('/v1/workflows/:id/schedules', {
      config: read,
      schema: { tags, operationId: 'listWorkflowSchedules', summary: "List a workflow's schedules, newest first", params: UuidParamSchema, querystring: ListQuerySchema, response: { 200: listOf(ScheduleSchema), ...errors } },
    }, async (req) => {
      const p = await listSchedules(res, req.auth.orgId, req.params.id, req.query);
      return { items: p.items.map((s) => scheduleView(s)), nextCursor: p.nextCursor };
    });

    app.get('/v1/schedules', {
      config: read,
      schema: { tags, operationId: 'listSchedules', summary: "List the org's schedules, newest first (`workflowId` filters)", querystring: ListSchedulesQuerySchema, response: { 200: listOf(ScheduleSchema), ...errors } },
    }, async (req) => {
      const p = await listOrgSchedules(res, req.auth.orgId, req.query);
      return { items: p.items.map((s) => scheduleView(s)), nextCursor: p.nextCursor };
    });

    app.get('/v1/schedules/preview', {
      config: read,
      schema: {
        tags,
        operationId: 'previewCronExpression',
        summary: 'The next fire times of a cron expression in a time zone, before any schedule exists',
        description: 'What a schedule with this `cron` and `timezone` would fire, DST changes flagged like `GET /v1/schedules/:id/preview`. 400 naming `querystring.cron` or `querystring.timezone`.',
        querystring: CronPreviewQuerySchema,
        response: { 200: CronPreviewSchema, ...errors },
      },
    }, async (req) => previewExpression(req.query));

    app.get('/v1/schedules/:id', {
      config: read,
      schema: { tags, operationId: 'getSchedule', summary: 'A schedule with its next fire times', params: UuidParamSchema, response: { 200: ScheduleSchema, ...errors } },
    }, async (req) => scheduleView(await getSchedule(res, req.auth.orgId, req.params.id)));

    app.patch('/v1/schedules/:id', {
      config: manage,
      preValidation: inputsWithinLimits,
      schema: {
        tags,
        operationId: 'updateSchedule',
        summary: 'Change a schedule (cron, timezone, inputs, overlap, catchup, enabled)',
        description: 'A new cron or zone, or enabling it again, counts from now: fires due before are not replayed. Disabling it drops a buffered fire.',
        params: UuidParamSchema,
        body: UpdateScheduleBodySchema,
        response: { 200: ScheduleSchema, ...errors },
      },
    }, async (req) => scheduleView(await updateSchedule(res, req.auth.orgId, req.params.id, req.body)));

    app.delete('/v1/schedules/:id', {
      config: manage,
      schema: { tags, operationId: 'deleteSchedule', summary: 'Delete a schedule (204); the runs it started stay', params: UuidParamSchema, response: { 204: z.null().describe('Deleted'), ...errors } },
    }, async (req, reply) => {
      await deleteSchedule(res, req.auth.orgId, req.params.id);
      return reply.status(204).send(null);
    });

    app.get('/v1/schedules/:id/preview', {
      config: read,
      schema: {
        tags,
        operationId: 'previewSchedule',
        summary: 'The next fire times, with DST changes flagged',
        description: 'Each fire in UTC and in the schedule\'s zone; `dst` is set on a fire moved out of a spring-forward gap, on a wall time that occurs twice, and where the UTC offset changed since the previous fire.',
        params: UuidParamSchema,
        querystring: SchedulePreviewQuerySchema,
        response: { 200: SchedulePreviewSchema, ...errors },
      },
    }, async (req) => previewSchedule(res, req.auth.orgId, req.params.id, req.query));

    app.get('/v1/schedules/:id/fires', {
      config: read,
      schema: { tags, operationId: 'listScheduleFires', summary: "The schedule's fires, newest first: one per nominal time, with the run it started", params: UuidParamSchema, querystring: ListQuerySchema, response: { 200: listOf(ScheduleFireSchema), ...errors } },
    }, async (req) => {
      const p = await listFires(res, req.auth.orgId, req.params.id, req.query);
      return { items: p.items.map(fireView), nextCursor: p.nextCursor };
    });
  };
