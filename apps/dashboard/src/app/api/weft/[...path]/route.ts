import { forward } from '../../../../server/gateway-access';

export const dynamic = 'force-dynamic';

/** Same-origin proxy to the gateway's `/v1` API (credentials added server-side: server/gateway-access.ts). */
async function proxy(req: Request, ctx: { params: Promise<{ path: string[] }> }): Promise<Response> {
  return forward(req, (await ctx.params).path);
}

export { proxy as GET, proxy as POST, proxy as PUT, proxy as PATCH, proxy as DELETE };
