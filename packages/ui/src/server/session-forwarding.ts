/**
 * What a web app's server (studio, dashboard) forwards between the browser and the gateway for a signed-in user:
 * the session cookie (and the GitHub sign-in's state cookie) from the browser's cookies, the org
 * the user picked (the `weft_org` cookie, set by the org switcher) as the `Weft-Org` header, and
 * the CSRF header. No API key: the gateway sees the user, with the user's role.
 */
const FORWARDED_COOKIES = ['weft_session', 'weft_oauth_state'];
/** The org switcher's cookie (an org slug or id): readable by the page, it is not a credential. */
export const ORG_COOKIE = 'weft_org';

/** Parses a Cookie header into name → value (the first of each name). */
export function parseCookies(header: string | null): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at < 1) continue;
    const name = part.slice(0, at).trim();
    if (!out.has(name)) out.set(name, part.slice(at + 1).trim());
  }
  return out;
}

/** The headers that carry the user's session to the gateway, from the browser's cookies (and its CSRF header). */
export function sessionHeaders(cookieHeader: string | null, csrf?: string | null): Headers {
  const cookies = parseCookies(cookieHeader);
  const headers = new Headers();
  const forwarded = FORWARDED_COOKIES.filter((n) => cookies.has(n)).map((n) => `${n}=${cookies.get(n)}`);
  if (forwarded.length) headers.set('cookie', forwarded.join('; '));
  const org = cookies.get(ORG_COOKIE);
  if (org) headers.set('weft-org', decodeURIComponent(org));
  if (csrf) headers.set('x-weft-csrf', csrf);
  return headers;
}
