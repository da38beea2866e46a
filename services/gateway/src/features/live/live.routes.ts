import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { WebSocket } from 'ws';
import { endedStepIds, eventsAfter, runExists, runLastSeq } from '@weft/run-store';
import { LiveMessageSchema, ProblemSchema, UuidParamSchema, type LiveMessage } from '@weft/workflow-schema';
import { AppError, notFound } from '../../errors';
import type { Resources } from '../../resources';
import { getRun } from '../runs/runs.service';
import { eventView, runView } from '../runs/serialize';
import { LiveSession, type LiveSessionIo } from './live-session';
import type { LiveRunHub } from './run-hub';

export interface LiveOptions {
  /** Ping interval (ms); a peer that missed the previous pong is dropped, and missed events are re-read. */
  heartbeatMs: number;
  /** A socket whose unsent backlog exceeds this (bytes) is closed with 1013: the client is too slow. */
  maxBacklogBytes: number;
  /** How long subscribing to the run's channel may take before the socket is closed with 1011 (ms). */
  subscribeTimeoutMs: number;
}

const PROTOCOL = `WebSocket (send \`Upgrade: websocket\`). Authenticate with \`Authorization: Bearer <key>\` or, from a
browser, \`?access_token=<key>\`. The first message is \`{ "type": "snapshot", "run" }\` (the \`GET /v1/runs/{id}\` answer
plus \`lastSeq\`; its \`steps\` are capped alike: when \`stepsNextCursor\` is set, read the rest from \`GET /v1/runs/{id}/steps\`),
then \`{ "type": "event", "event" }\` for every event after \`lastSeq\`, in seq order, plus ephemeral notices with
\`seq: null\` (e.g. \`step.started\`). The server closes with 1000 after the run's terminal event (at once after
the snapshot if the run already ended); 1011 when live events are unavailable; 1013 when the client reads too slowly.
An unknown run or one of another org answers 404 before the upgrade.`;

export const liveRoutes =
  (res: Resources, hub: LiveRunHub, opts: LiveOptions): FastifyPluginAsyncZod =>
  async (app) => {
    app.route({
      method: 'GET',
      url: '/v1/runs/:id/live',
      config: { access: { permission: 'runs:read' }, queryToken: true },
      schema: {
        tags: ['runs'],
        operationId: 'watchRun',
        summary: 'Watch a run live (WebSocket): a snapshot, then its events until it ends',
        description: PROTOCOL,
        params: UuidParamSchema,
        security: [{ apiKey: [] }, { accessToken: [] }],
        response: { 101: LiveMessageSchema.describe('Switching Protocols; then these messages, as JSON text frames'), 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema, 426: ProblemSchema },
      },
      // Runs before the upgrade, so an unknown or foreign run is a plain 404, not a socket that closes.
      preHandler: async (req) => {
        if (!(await runExists(res.db.pool, req.auth.orgId, req.params.id))) throw notFound('run', req.params.id);
      },
      handler: async (_req, reply) => {
        reply.header('upgrade', 'websocket');
        throw new AppError('upgrade_required', 'this endpoint is a WebSocket: connect with "Upgrade: websocket"');
      },
      wsHandler: (socket, req) => watch(socket, res, hub, opts, req.auth.orgId, req.params.id),
    });
  };

/** Serves one live socket: subscribe, then snapshot, then events (see LiveSession), with a heartbeat. */
async function watch(socket: WebSocket, res: Resources, hub: LiveRunHub, opts: LiveOptions, orgId: string, runId: string): Promise<void> {
  const log = res.logger.child({ run_id: runId });
  const session = new LiveSession(sessionIo(socket, res, opts, orgId, runId, (code, reason) => closeWith(code, reason)));
  let unsubscribe: (() => void) | undefined;
  let alive = true;
  const heartbeat = setInterval(() => {
    if (!alive) return void socket.terminate();
    alive = false;
    socket.ping();
    void session.resync(); // also the backstop for a lost terminal event
  }, opts.heartbeatMs).unref();
  const cleanup = () => {
    session.stop();
    clearInterval(heartbeat);
    unsubscribe?.();
    unsubscribe = undefined;
  };
  const closeWith = (code: number, reason: string) => {
    cleanup();
    if (socket.readyState === socket.OPEN) socket.close(code, reason);
  };
  socket.on('close', cleanup);
  socket.on('pong', () => (alive = true));
  socket.on('error', (err) => log.debug({ err }, 'live socket error'));
  // A client never needs to speak: what it sends is ignored (frames are capped by maxPayload).

  const subscribed = hub.subscribe(runId, { onEvents: (e) => session.push(e), onResync: () => void session.resync() });
  try {
    const end = await withTimeout(subscribed, opts.subscribeTimeoutMs);
    if (session.isClosed) return end(); // the client left while we subscribed
    unsubscribe = end;
  } catch (err) {
    void subscribed.then((end) => end(), () => undefined); // a late subscription must still end
    log.warn({ err }, 'live subscription failed');
    return closeWith(1011, 'live events unavailable');
  }
  await session.start();
}

/** The Postgres reads and socket writes of a session. */
function sessionIo(socket: WebSocket, res: Resources, opts: LiveOptions, orgId: string, runId: string, close: (code: number, reason: string) => void): LiveSessionIo {
  return {
    snapshot: async () => {
      const r = await getRun(res.db, orgId, runId).catch((err: unknown) => (err instanceof AppError && err.code === 'not_found' ? undefined : Promise.reject(err)));
      return r && { ...runView(r.run, r.steps, r.logs, r.stepsTotal), lastSeq: r.run.lastSeq };
    },
    endedStepIds: () => endedStepIds(res.db, orgId, runId),
    eventsAfter: async (afterSeq, untilSeq) => (await eventsAfter(res.db, orgId, runId, afterSeq, untilSeq)).map(eventView),
    lastSeq: () => runLastSeq(res.db, orgId, runId),
    send: (message: LiveMessage) => {
      if (socket.readyState !== socket.OPEN) return;
      if (socket.bufferedAmount > opts.maxBacklogBytes) return close(1013, 'client too slow');
      socket.send(JSON.stringify(message));
    },
    close,
  };
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    p.then(
      (v) => (clearTimeout(timer), resolve(v)),
      (e: unknown) => (clearTimeout(timer), reject(e)),
    );
  });
}
