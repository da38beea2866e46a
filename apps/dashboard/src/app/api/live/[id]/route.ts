import { WeftClient, type LiveRunHandle } from '@weft/sdk';
import { env } from '../../../../env';
import { credentialedSocket, problem, refusal } from '../../../../server/gateway-access';

export const dynamic = 'force-dynamic';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A run's live view for the browser as Server-Sent Events: this server holds the gateway's run
 * WebSocket (`/v1/runs/:id/live`) and forwards each message as `data: <json>`, then `event: end`.
 */
export async function GET(req: Request, ctx: { params: Promise<{ id: string }> }): Promise<Response> {
  const refused = refusal(req);
  if (refused) return problem(403, 'Forbidden', refused);
  const { id } = await ctx.params;
  if (!UUID.test(id)) return problem(404, 'Not found');
  const client = new WeftClient({ baseUrl: env().WEFT_API_URL, WebSocket: credentialedSocket(req) });
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
      handle = client.liveRun(id, (m) => send(`data: ${JSON.stringify(m)}\n\n`));
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
