import type { Me } from '@weft/workflow-schema';
import { ORG_COOKIE } from './server/session-forwarding';

/**
 * The browser side of the signed-in session. The cookie is httpOnly (no script sees it); what the
 * page holds is the session's CSRF token, read from GET /v1/me and sent as `X-Weft-CSRF` with
 * every request that changes something. A 401 means the session ended: back to the sign-in page.
 */
let me: Promise<Me | undefined> | undefined;
let csrfNow: string | undefined;

/** The signed-in user, their org, role and orgs (undefined when signed out); fetched once per page. */
export function currentSession(): Promise<Me | undefined> {
  me ??= fetch('/api/weft/v1/me', { cache: 'no-store' }).then(async (r) => {
    const found = r.ok ? ((await r.json()) as Me) : undefined;
    csrfNow = found?.session?.csrfToken;
    return found;
  });
  return me;
}

/** The CSRF header as known right now (for a request that cannot wait, such as one sent while the page unloads). */
export const csrfHeaderNow = (): Record<string, string> => (csrfNow ? { 'x-weft-csrf': csrfNow } : {});

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/** `fetch` for the API client: adds the CSRF token to mutations and sends a signed-out user to /sign-in. */
export async function sessionFetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  const method = (init?.method ?? 'GET').toUpperCase();
  const headers = new Headers(init?.headers);
  if (!SAFE.has(method)) {
    const csrf = (await currentSession())?.session?.csrfToken;
    if (csrf) headers.set('x-weft-csrf', csrf);
  }
  const r = await fetch(input, { ...init, headers });
  if (r.status === 401 && window.location.pathname !== '/sign-in') window.location.assign('/sign-in');
  return r;
}

/** Acts in another org from now on (the proxy turns the cookie into the `Weft-Org` header), then reloads. */
export function switchOrg(slug: string): void {
  document.cookie = `${ORG_COOKIE}=${encodeURIComponent(slug)}; path=/; samesite=lax; max-age=${60 * 60 * 24 * 365}`;
  window.location.assign('/');
}

/** Ends the session on the server (the gateway clears the cookie), then shows the sign-in page. */
export async function signOut(): Promise<void> {
  const csrf = (await currentSession())?.session?.csrfToken;
  await fetch('/api/weft/v1/auth/sign-out', { method: 'POST', headers: csrf ? { 'x-weft-csrf': csrf } : {} });
  window.location.assign('/sign-in');
}
