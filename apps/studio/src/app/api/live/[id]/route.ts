import { WeftClient, type LiveRunHandle } from '@weft/sdk';
import type { LiveMessage } from '@weft/workflow-schema';
import WebSocket from 'ws';
import { env } from '../../../../env';
import { refusal } from '../../../../lib/proxy-guard';
import { sessionHeaders } from '../../../../lib/session-forwarding';

export const dynamic = 'force-dynamic';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A run's live view for the browser, as Server-Sent Events: this server holds the gateway's
 * WebSocket (`/v1/runs/:id/live`, with the API key in a header) and forwards each message as
 * `data: <json>`, then `event: end` when the socket closes. It connects with the user's session
 * (cookie and org, lib/session-forwarding.ts), so the gateway applies the user's org and role.
 */
export async function GET(req: Request, ctx: { params: Promise<{ id: string }> }): Promise<Response> {
  const { WEFT_API_URL, WEFT_STUDIO_ALLOWED_HOSTS } = env();
  const refused = refusal(req, WEFT_STUDIO_ALLOWED_HOSTS);
  if (refused) return Response.json({ title: 'Forbidden', status: 403, detail: refused }, { status: 403 });
  const { id } = await ctx.params;
  if (!UUID.test(id)) return Response.json({ title: 'Not found', status: 404 }, { status: 404 });

  const session = Object.fromEntries(sessionHeaders(req.headers.get('cookie')).entries());
  class SessionSocket extends WebSocket {
    constructor(url: string) {
      super(url, { headers: session });
    }
  }
  const client = new WeftClient({ baseUrl: WEFT_API_URL, WebSocket: SessionSocket });
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
}
