import WebSocket from 'ws';
import { env } from '../env';

/**
 * How the dashboard's server acts on the gateway for the browser: the one place to change when
 * sign-in arrives (the accounts work replaces the API key with the signed-in user's session).
 * Today it is the studio's model: one server-side API key (`WEFT_API_KEY`), never sent to the
 * browser, and a guard that lets only this app's own pages use it.
 */

/** Request headers the gateway needs; everything else (cookies above all) stays here. */
const FORWARDED_REQUEST = ['content-type', 'accept', 'idempotency-key'];
const FORWARDED_RESPONSE = ['content-type', 'retry-after', 'location'];

/** The credentials sent to the gateway on behalf of the browser's request. */
function credentials(_req: Request): Record<string, string> {
  return { authorization: `Bearer ${env().WEFT_API_KEY}` };
}

/**
 * Why a browser request must not use the key (null when it may): only known host names (no DNS
 * rebinding), same-origin requests (no cross-site forgery) and JSON bodies.
 */
export function refusal(req: Request, allowedHosts = env().WEFT_DASHBOARD_ALLOWED_HOSTS): string | null {
  const host = (req.headers.get('host') ?? '').replace(/:\d+$/, '').toLowerCase();
  const allowed = allowedHosts.split(',').map((h) => h.trim().toLowerCase());
  if (!allowed.includes('*') && !allowed.includes(host)) return `host "${host}" is not in WEFT_DASHBOARD_ALLOWED_HOSTS`;
  const site = req.headers.get('sec-fetch-site');
  if (site && site !== 'same-origin' && site !== 'none') return 'cross-site request';
  const origin = req.headers.get('origin');
  if (origin && new URL(origin).host !== req.headers.get('host')) return 'cross-origin request';
  const type = req.headers.get('content-type');
  if (req.method !== 'GET' && req.method !== 'HEAD' && type && !type.includes('application/json')) return 'bodies must be application/json';
  return null;
}

/** An RFC 9457 answer of the dashboard itself. */
export function problem(status: number, title: string, detail?: string): Response {
  return Response.json({ type: 'about:blank', title, status, detail }, { status, headers: { 'content-type': 'application/problem+json' } });
}

/** Forwards a browser request to the gateway path `/v1/...` (given as segments), with the credentials. */
export async function forward(req: Request, segments: string[]): Promise<Response> {
  const refused = refusal(req);
  if (refused) return problem(403, 'Forbidden', refused);
  if (segments[0] !== 'v1' || segments.some((p) => p === '..' || p === '.')) return problem(404, 'Not found', 'Only /v1 is proxied.');
  const { WEFT_API_URL, WEFT_PROXY_TIMEOUT_MS } = env();
  const target = new URL(`/${segments.map(encodeURIComponent).join('/')}${new URL(req.url).search}`, WEFT_API_URL);
  const headers = new Headers(credentials(req));
  for (const name of FORWARDED_REQUEST) if (req.headers.has(name)) headers.set(name, req.headers.get(name)!);
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
  try {
    const upstream = await fetch(target, { method: req.method, headers, body: hasBody ? await req.text() : undefined, signal: AbortSignal.timeout(WEFT_PROXY_TIMEOUT_MS), cache: 'no-store' });
    const out = new Headers({ 'cache-control': 'no-store' });
    for (const name of FORWARDED_RESPONSE) if (upstream.headers.has(name)) out.set(name, upstream.headers.get(name)!);
    return new Response(upstream.body, { status: upstream.status, headers: out });
  } catch (err) {
    return problem(502, 'The Weft API cannot be reached', `${WEFT_API_URL}: ${(err as Error).message}`);
  }
}

/** A WebSocket class that opens gateway sockets with the credentials in a header (URLs end up in logs). */
export function credentialedSocket(req: Request): new (url: string) => WebSocket {
  const headers = credentials(req);
  return class extends WebSocket {
    constructor(url: string) {
      super(url, { headers });
    }
  };
}
