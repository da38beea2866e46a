import { WeftClient, type LiveRunHandle } from '@weft/sdk';
import type { LiveMessage } from '@weft/workflow-schema';
import WebSocket from 'ws';
import { refusal } from './proxy-guard';
import { sessionHeaders } from './session-forwarding';
import { problem, type ProxySettings } from './weft-proxy';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The route handler of a run's live view for the browser (`app/api/live/[id]/route.ts`), as
 * Server-Sent Events: the app's server holds the gateway's WebSocket (`/v1/runs/:id/live`) and
 * forwards each message as `data: <json>`, then `event: end` when the socket closes. It connects
 * with the user's session (cookie and org, session-forwarding.ts, in headers: URLs end up in
 * logs), so the gateway applies the user's org and role.
 */
export function liveRelay(settings: () => Omit<ProxySettings, 'timeoutMs'>) {
  return async function GET(req: Request, ctx: { params: Promise<{ id: string }> }): Promise<Response> {
    const { apiUrl, allowedHosts, hostsSetting } = settings();
    const refused = refusal(req, allowedHosts, { hostsSetting });
    if (refused) return problem(403, 'Forbidden', refused);
    const { id } = await ctx.params;
    if (!UUID.test(id)) return problem(404, 'Not found');

    const session = Object.fromEntries(sessionHeaders(req.headers.get('cookie')).entries());
    class SessionSocket extends WebSocket {
      constructor(url: string) {
        super(url, { headers: session });
      }
    }
    const client = new WeftClient({ baseUrl: apiUrl, WebSocket: SessionSocket });
    const encoder = new TextEncoder();
    let handle: LiveRunHandle | undefined;
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        const send = (text: string) => {
          try {
            controller.enqueue(encoder.encode(text));
          } catch {
            handle?.close(); // the browser went away
          }
        };
        handle = client.liveRun(id, (m: LiveMessage) => send(`data: ${JSON.stringify(m)}\n\n`));
        void handle.closed.then(({ code }) => {
          send(`event: end\ndata: ${JSON.stringify({ code })}\n\n`);
          try {
            controller.close();
          } catch {
            /* already closed */
          }
        });
        req.signal.addEventListener('abort', () => handle?.close());
      },
      cancel() {
        handle?.close();
      },
    });
    return new Response(stream, { headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-store, no-transform', 'x-accel-buffering': 'no' } });
  };
}
