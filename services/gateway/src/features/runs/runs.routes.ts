import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  BulkRetryAnswerSchema,
  BulkRetryBodySchema,
  BulkRunActionAnswerSchema,
  BulkRunActionBodySchema,
  CreateRunAnswerSchema,
  CreateRunBodySchema,
  ListQuerySchema,
  ListRunsQuerySchema,
  ProblemSchema,
  QuotaProblemSchema,
  RunCountsAnswerSchema,
  RunCountsQuerySchema,
  RUN_STEPS_CAP,
  ResumeRunBodySchema,
  RetryRunBodySchema,
  RerunBodySchema,
  RunActionAnswerSchema,
  RunEventsAnswerSchema,
  RunEventsQuerySchema,
  RunSchema,
  RunStepsAnswerSchema,
  RunLogsAnswerSchema,
  RunSummarySchema,
  UuidParamSchema,
  WaitingApprovalsAnswerSchema,
  WaitingApprovalsQuerySchema,
  listOf,
} from '@weft/workflow-schema';
import { hopNow, hopsTraced, markHop } from '@weft/queue';
import { waitingApprovalsPage } from '@weft/run-store';
import { runCost } from '@weft/billing';
import type { Resources } from '../../resources';
import { bulkRetry } from './bulk-retry';
import { bulkRunAction } from './bulk-runs';
import { cancelRun } from './cancel-run';
import { createRun } from './create-run';
import { requestTraceparent } from '../../plugins/request-trace';
import { resumeRun } from './resume-run';
import { rerunRun } from './rerun-run';
import { retryRun } from './retry-run';
import { countRuns, getRun, listRunEvents, listRunLogs, listRunSteps, listRuns } from './runs.service';
import { eventView, logView, runSummaryView, runView, stepView } from './serialize';
import { bodyFieldWithinLimits } from './value-limits';
import { VersionCache } from './version-cache';

const errors = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema, 409: ProblemSchema };
/** A run start may be refused by the plan's quotas: 402 here; 429 concurrent_runs carries the same members (docs/operating/usage.md). */
const startErrors = { ...errors, 402: QuotaProblemSchema };

export const runRoutes =
  (res: Resources): FastifyPluginAsyncZod =>
  async (app) => {
    const versions = new VersionCache();
    app.post('/v1/runs', {
      config: { access: { permission: 'runs:write' } },
      preValidation: bodyFieldWithinLimits(res, 'inputs', 'the run inputs'),
      schema: {
        tags: ['runs'],
        operationId: 'createRun',
        summary: 'Start a run (202; idempotent with an idempotency key)',
        body: CreateRunBodySchema,
        headers: z.object({ 'idempotency-key': z.string().min(1).max(255).optional() }).passthrough(),
        response: { 202: CreateRunAnswerSchema, ...startErrors },
      },
    }, async (req, reply) => {
      // Bench `hops`: when this handler began, and when Fastify took the request (elapsedTime: its
      // hooks so far, authentication and rate limits, and the body's parsing and validation).
      const handled = hopsTraced() ? hopNow() : undefined;
      const received = handled === undefined ? undefined : handled - reply.elapsedTime;
      const r = await createRun(res, req.auth, req.body, req.headers['idempotency-key'], versions, requestTraceparent(req));
      if (r.replayed) reply.header('idempotent-replayed', 'true');
      else if (handled !== undefined) {
        markHop('gw.received', r.runId, '', received);
        markHop('gw.handler', r.runId, '', handled);
      }
      return reply.status(202).send({ runId: r.runId });
    });

    app.get('/v1/runs', {
      config: { access: { permission: 'runs:read' } },
      schema: { tags: ['runs'], operationId: 'listRuns', summary: 'List runs, newest first (filters: workflow, status, trigger type, creation time range, error text `q`)', querystring: ListRunsQuerySchema, response: { 200: listOf(RunSummarySchema), ...errors } },
    }, async (req) => {
      const p = await listRuns(res.db, req.auth.orgId, req.query);
      return { items: p.items.map(runSummaryView), nextCursor: p.nextCursor };
    });

    app.post('/v1/runs/bulk', {
      config: { access: { permission: 'runs:write' } },
      schema: {
        tags: ['runs'],
        operationId: 'bulkRunAction',
        summary: 'Retry or cancel every run matching a run-list filter, `limit` at a time (202)',
        description:
          'Weft extension. Takes up to `limit` top-level runs of the org matching `filter` (the filters of `GET /v1/runs`) that the action applies to, oldest first: ' +
          '`retry` failed or cancelled runs in place (their failed steps; runs with a retry pending are left out), `cancel` queued, running or waiting runs (runs already asked are left out). ' +
          'Each is asked exactly as `POST /v1/runs/:id/retry` or `/cancel` asks (with its audit entry). `more` says whether to call again. ' +
          '400 naming `body.filter.status` for a status the action does not apply to.',
        body: BulkRunActionBodySchema,
        response: { 202: BulkRunActionAnswerSchema, ...errors },
      },
    }, async (req, reply) => reply.status(202).send({ action: req.body.action, ...(await bulkRunAction(res, req.auth, req.body)) }));

    app.get('/v1/runs/counts', {
      config: { access: { permission: 'runs:read' } },
      schema: {
        tags: ['runs'],
        operationId: 'countRuns',
        summary: 'How many top-level runs of each status were created in a time range',
        querystring: RunCountsQuerySchema,
        response: { 200: RunCountsAnswerSchema, ...errors },
      },
    }, async (req) => countRuns(res.db, req.auth.orgId, req.query));

    app.get('/v1/approvals', {
      config: { access: { permission: 'runs:read' } },
      schema: {
        tags: ['runs'],
        operationId: 'listWaitingApprovals',
        summary: 'The approvals the org\'s waiting runs wait on (a page of waiting runs, newest first), in one call',
        querystring: WaitingApprovalsQuerySchema,
        response: { 200: WaitingApprovalsAnswerSchema, ...errors },
      },
    }, async (req) => {
      const p = await waitingApprovalsPage(res.db.pool, req.auth.orgId, req.query);
      return { items: p.items.map((a) => ({ ...a, since: a.since?.toISOString() ?? null })), nextCursor: p.nextCursor };
    });

    app.get('/v1/runs/:id', {
      config: { access: { permission: 'runs:read' } },
      schema: {
        tags: ['runs'],
        operationId: 'getRun',
        summary: `Get a run with its steps (the first ${RUN_STEPS_CAP}) and logs`,
        description:
          `\`steps\` holds the run's first ${RUN_STEPS_CAP} steps at most, in creation order; \`stepsTotal\` counts them all. ` +
          'When it is larger, `stepsNextCursor` is the `cursor` of `GET /v1/runs/{id}/steps` that continues where `steps` ends.',
        params: UuidParamSchema,
        response: { 200: RunSchema, ...errors },
      },
    }, async (req) => {
      const r = await getRun(res.db, req.auth.orgId, req.params.id);
      const cost = await runCost(res.db.pool, req.auth.orgId, req.params.id);
      return { ...runView(r.run, r.steps, r.logs, r.stepsTotal), cost: cost ?? null };
    });

    app.get('/v1/runs/:id/steps', {
      config: { access: { permission: 'runs:read' } },
      schema: {
        tags: ['runs'],
        operationId: 'listRunSteps',
        summary: "A cursor page of the run's steps, in creation order",
        description:
          'Every attempt is a step. Pass `nextCursor` (or a run\'s `stepsNextCursor`) as `cursor` for the next page; ' +
          '`nextCursor` is null on the last one. A run still moving may add steps after the last page.',
        params: UuidParamSchema,
        querystring: ListQuerySchema,
        response: { 200: RunStepsAnswerSchema, ...errors },
      },
    }, async (req) => {
      const p = await listRunSteps(res.db, req.auth.orgId, req.params.id, req.query);
      return { items: p.items.map(stepView), nextCursor: p.nextCursor };
    });

    app.get('/v1/runs/:id/logs', {
      config: { access: { permission: 'runs:read' } },
      schema: {
        tags: ['runs'],
        operationId: 'listRunLogs',
        summary: "A cursor page of the run's log lines, in the order they were said",
        description:
          'Every step attempt writes its lines (processor messages, HTTP status and timing, retries with their reason and backoff, ' +
          "`ctx.log(...)` of functions) with its completion, masked like outputs and capped per attempt (a last line says how many were dropped). " +
          'Pass `nextCursor` as `cursor` for the next page; null on the last one. Live lines arrive over `GET /v1/runs/:id/live` as `step.log` events.',
        params: UuidParamSchema,
        querystring: ListQuerySchema,
        response: { 200: RunLogsAnswerSchema, ...errors },
      },
    }, async (req) => {
      const p = await listRunLogs(res.db, req.auth.orgId, req.params.id, req.query);
      return { items: p.items.map(logView), nextCursor: p.nextCursor };
    });

    app.get('/v1/runs/:id/events', {
      config: { access: { permission: 'runs:read' } },
      schema: {
        tags: ['runs'],
        operationId: 'listRunEvents',
        summary: "A cursor page of the run's append-only event history, in seq order",
        description:
          '`nextCursor` is the seq of the page\'s last event; pass it as `cursor` for the next page (null on the last page). ' +
          'To read events appended later, call again with the seq of the last event you hold.',
        params: UuidParamSchema,
        querystring: RunEventsQuerySchema,
        response: { 200: RunEventsAnswerSchema, ...errors },
      },
    }, async (req) => {
      const p = await listRunEvents(res.db, req.auth.orgId, req.params.id, req.query);
      return { items: p.items.map(eventView), nextCursor: p.nextCursor };
    });

    app.post('/v1/runs/:id/cancel', {
      config: { access: { permission: 'runs:write' } },
      schema: {
        tags: ['runs'],
        operationId: 'cancelRun',
        summary: 'Cancel a run (202); it ends `cancelled` and running steps are aborted',
        description: 'Accepted while the run is queued, running or waiting, and again while the cancel is pending. 409 once the run ended.',
        params: UuidParamSchema,
        response: { 202: RunActionAnswerSchema, ...errors },
      },
    }, async (req, reply) => {
      await cancelRun(res, req.auth, req.params.id);
      return reply.status(202).send({ runId: req.params.id });
    });

    app.post('/v1/runs/:id/resume', {
      config: { access: { permission: 'runs:write' } },
      preValidation: bodyFieldWithinLimits(res, 'payload', 'the approval payload'),
      schema: {
        tags: ['runs'],
        operationId: 'resumeRun',
        summary: 'Approve or reject the wait_for_approval node a run waits on (202)',
        description:
          'The step leaves by the `approved` or `rejected` handle with `payload` as its output. 400 when `nodeId` is not an approval node of the run; ' +
          '409 `already-resolved` when it was resolved before (nothing changes), 409 `invalid-state` when the run does not wait on it.',
        params: UuidParamSchema,
        body: ResumeRunBodySchema,
        response: { 202: RunActionAnswerSchema, ...errors },
      },
    }, async (req, reply) => {
      await resumeRun(res, req.auth, req.params.id, req.body);
      return reply.status(202).send({ runId: req.params.id });
    });

    app.post('/v1/runs/:id/retry', {
      config: { access: { permission: 'runs:write' } },
      schema: {
        tags: ['runs'],
        operationId: 'retryRun',
        summary: 'Retry a failed or cancelled run in place (202): its failed steps, or everything from `fromNodeId`',
        description: 'The body may be left out. 409 when the run is not failed or cancelled, or a retry is already pending.',
        params: UuidParamSchema,
        body: RetryRunBodySchema.nullish(),
        response: { 202: RunActionAnswerSchema, ...errors },
      },
    }, async (req, reply) => {
      await retryRun(res, req.auth, req.params.id, req.body ?? {});
      return reply.status(202).send({ runId: req.params.id });
    });

    app.post('/v1/runs/:id/rerun', {
      config: { access: { permission: 'runs:write' } },
      preValidation: [bodyFieldWithinLimits(res, 'inputs', 'the run inputs'), bodyFieldWithinLimits(res, 'stepOutputs', 'the edited step outputs')],
      schema: {
        tags: ['runs'],
        operationId: 'rerunRun',
        summary: "Run an ended run again as a NEW run of its version (202 `{ runId }`), with its inputs or edited ones",
        description:
          "The new run's `triggerType` is `retry` and its `triggerId` the run retried (`GET /v1/runs?triggerType=retry` lists them). " +
          '409 when the run has not ended, or is an iteration or sub-workflow run (retried through its parent). `POST /v1/runs/:id/retry` retries in place instead. ' +
          '**Replay from a node**: with `fromNodeId`, the outputs of the nodes before it (every node not downstream of it, the trigger aside) are reused from the run instead of executed, ' +
          "and `stepOutputs` edits some of them (the node's input); 400 naming `body.fromNodeId` or `body.stepOutputs.ID` for a node that is unknown, not before it, or whose output cannot be reused (waits, timers, loops, sub-workflows run again).",
        params: UuidParamSchema,
        body: RerunBodySchema.nullish(),
        response: { 202: CreateRunAnswerSchema, ...startErrors },
      },
    }, async (req, reply) => reply.status(202).send(await rerunRun(res, req.auth, req.params.id, req.body ?? {})));

    app.post('/v1/workflows/:id/runs/retry', {
      config: { access: { permission: 'runs:write' } },
      schema: {
        tags: ['runs'],
        operationId: 'retryWorkflowRuns',
        summary: "Redrive a workflow's failed (or cancelled) runs in bulk (202)",
        description:
          'Requests a retry in place (failed steps only) for up to `limit` top-level runs of the workflow with the given status, oldest first, ' +
          'optionally created within [`since`, `until`). Runs that already have a retry pending are left out. `more` says whether to call again.',
        params: UuidParamSchema,
        body: BulkRetryBodySchema.nullish(),
        response: { 202: BulkRetryAnswerSchema, ...errors },
      },
    }, async (req, reply) => {
      // A missing body means the defaults (the schema already applied them to a body that was sent).
      const r = await bulkRetry(res, req.auth, req.params.id, req.body ?? BulkRetryBodySchema.parse({}));
      return reply.status(202).send({ workflowId: req.params.id, ...r });
    });
  };
