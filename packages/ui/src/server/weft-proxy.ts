import { refusal } from './proxy-guard';
import { sessionHeaders } from './session-forwarding';

/** Where a web app's proxy sends requests and whom it answers (read from the app's env at each request). */
export interface ProxySettings {
  /** Base URL of the Weft gateway. */
  apiUrl: string;
  /** Host names the proxy answers (comma-separated, `*` for any) and the setting that holds them (named in refusals). */
  allowedHosts: string;
  hostsSetting: string;
  /** How long a proxied request may take, in milliseconds. */
  timeoutMs: number;
}

/** Request headers the gateway needs besides the session's (session-forwarding.ts); everything else stays here. */
const FORWARDED_REQUEST_HEADERS = ['content-type', 'accept', 'idempotency-key'];
const FORWARDED_RESPONSE_HEADERS = ['content-type', 'retry-after', 'location', 'cache-control', 'ratelimit', 'ratelimit-policy'];
/**
 * Sign-in steps the browser reaches by navigating from another site (the mailbox, GitHub): GETs
 * that set or need the session cookie themselves (single-use link, OAuth state), so the
 * same-origin rule of every other request does not apply to them.
 */
const SIGN_IN_NAVIGATIONS = new Set(['v1/auth/magic-link/verify', 'v1/auth/github', 'v1/auth/github/callback']);

/** An RFC 9457 answer of the web app itself. */
export function problem(status: number, title: string, detail?: string): Response {
  return Response.json({ type: 'about:blank', title, status, detail }, { status, headers: { 'content-type': 'application/problem+json' } });
}

/**
 * The route handler of a web app's same-origin proxy to the gateway's `/v1` API
 * (`app/api/weft/[...path]/route.ts`). It forwards the user's session (cookie, org, CSRF header)
 * and the gateway's Set-Cookie and redirects, so the browser talks to one origin and no API key is
 * involved; it refuses every path outside `/v1`.
 */
export function weftProxy(settings: () => ProxySettings) {
  return async function proxy(req: Request, ctx: { params: Promise<{ path: string[] }> }): Promise<Response> {
    const { apiUrl, allowedHosts, hostsSetting, timeoutMs } = settings();
    const { path } = await ctx.params;
    const navigation = req.method === 'GET' && SIGN_IN_NAVIGATIONS.has(path.join('/'));
    const refused = refusal(req, allowedHosts, { crossSiteNavigation: navigation, hostsSetting });
    if (refused) return problem(403, 'Forbidden', refused);
    if (path[0] !== 'v1' || path.some((p) => p === '..' || p === '.')) return problem(404, 'Not found', 'Only /v1 is proxied.');
    const target = new URL(`/${path.map(encodeURIComponent).join('/')}${new URL(req.url).search}`, apiUrl);
    const headers = sessionHeaders(req.headers.get('cookie'), req.headers.get('x-weft-csrf'));
    for (const name of FORWARDED_REQUEST_HEADERS) {
      const value = req.headers.get(name);
      if (value) headers.set(name, value);
    }
    // An empty body is sent as none (fetch would label '' text/plain, which the gateway refuses).
    const body = req.method !== 'GET' && req.method !== 'HEAD' ? await req.text() : '';
    try {
      const upstream = await fetch(target, {
        method: req.method,
        headers,
        body: body || undefined,
        signal: AbortSignal.timeout(timeoutMs),
        cache: 'no-store',
        // The gateway's redirects (after sign-in) are the browser's to follow, with their cookies.
        redirect: 'manual',
      });
      const out = new Headers({ 'cache-control': 'no-store' });
      for (const name of FORWARDED_RESPONSE_HEADERS) {
        const value = upstream.headers.get(name);
        if (value) out.set(name, value);
      }
      for (const cookie of upstream.headers.getSetCookie()) out.append('set-cookie', cookie);
      return new Response(upstream.body, { status: upstream.status, headers: out });
    } catch (err) {
      return problem(502, 'The Weft API cannot be reached', `${apiUrl}: ${(err as Error).message}`);
    }
  };
}
