import { env } from '../../../../env';
import { refusal } from '../../../../lib/proxy-guard';

export const dynamic = 'force-dynamic';

/** Request headers the gateway needs; everything else (cookies above all) stays here. */
const FORWARDED_REQUEST_HEADERS = ['content-type', 'accept', 'idempotency-key'];
const FORWARDED_RESPONSE_HEADERS = ['content-type', 'retry-after', 'location', 'ratelimit', 'ratelimit-policy'];

/**
 * Same-origin proxy to the gateway's `/v1` API. It adds the API key server-side so that the key
 * never reaches the browser, and refuses every path outside `/v1`.
 */
async function proxy(req: Request, ctx: { params: Promise<{ path: string[] }> }): Promise<Response> {
  const { WEFT_API_URL, WEFT_API_KEY, WEFT_PROXY_TIMEOUT_MS, WEFT_STUDIO_ALLOWED_HOSTS } = env();
  const refused = refusal(req, WEFT_STUDIO_ALLOWED_HOSTS);
  if (refused) return problem(403, 'Forbidden', refused);
  const { path } = await ctx.params;
  if (path[0] !== 'v1' || path.some((p) => p === '..' || p === '.')) return problem(404, 'Not found', 'Only /v1 is proxied.');
  const target = new URL(`/${path.map(encodeURIComponent).join('/')}${new URL(req.url).search}`, WEFT_API_URL);
  const headers = new Headers({ authorization: `Bearer ${WEFT_API_KEY}` });
  for (const name of FORWARDED_REQUEST_HEADERS) {
    const value = req.headers.get(name);
    if (value) headers.set(name, value);
  }
  // An empty body is sent as none: fetch would label '' text/plain, which the gateway refuses (415).
  const body = req.method !== 'GET' && req.method !== 'HEAD' ? await req.text() : '';
  try {
    const upstream = await fetch(target, {
      method: req.method,
      headers,
      body: body || undefined,
      signal: AbortSignal.timeout(WEFT_PROXY_TIMEOUT_MS),
      cache: 'no-store',
    });
    const out = new Headers({ 'cache-control': 'no-store' });
    for (const name of FORWARDED_RESPONSE_HEADERS) {
      const value = upstream.headers.get(name);
      if (value) out.set(name, value);
    }
    return new Response(upstream.body, { status: upstream.status, headers: out });
  } catch (err) {
    return problem(502, 'The Weft API cannot be reached', `${WEFT_API_URL}: ${(err as Error).message}`);
  }
}

function problem(status: number, title: string, detail: string): Response {
  return Response.json({ type: 'about:blank', title, status, detail }, { status, headers: { 'content-type': 'application/problem+json' } });
}

export { proxy as GET, proxy as POST, proxy as PUT, proxy as PATCH, proxy as DELETE };
