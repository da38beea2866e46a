/**
 * "Sign in, then come back here": a page that needs a session before it can go on (installing a
 * template) remembers its address in a short-lived cookie, then sends the browser to sign in. The
 * sign-in link lands on the app's home (the gateway's WEFT_APP_URL, which may be the other app:
 * cookies are per host, not per port), whose frame reads the cookie once and goes back.
 */
export const RETURN_COOKIE = 'weft_return_to';
const MAX_AGE_S = 30 * 60;

/** Remembers `url` (an absolute URL of this site) and goes to this app's sign-in page. */
export function signInAndReturn(url: string): void {
  document.cookie = `${RETURN_COOKIE}=${encodeURIComponent(url)}; path=/; samesite=lax; max-age=${MAX_AGE_S}`;
  window.location.assign('/sign-in');
}

/**
 * Where to go back to, read once (the cookie is cleared): an http(s) URL on the same host name as
 * `here` (any port: the studio and the dashboard share the host), else null. Nothing else is
 * followed, so the cookie cannot send anyone to another site.
 */
export function takeReturnUrl(cookieHeader: string, here: URL): string | null {
  const raw = cookieHeader
    .split(';')
    .map((c) => c.trim())
    .find((c) => c.startsWith(`${RETURN_COOKIE}=`))
    ?.slice(RETURN_COOKIE.length + 1);
  if (!raw) return null;
  try {
    const url = new URL(decodeURIComponent(raw));
    if ((url.protocol === 'http:' || url.protocol === 'https:') && url.hostname === here.hostname && url.href !== here.href) return url.href;
  } catch {
    // not a URL: nowhere to go back to
  }
  return null;
}

/** Clears the cookie (after reading it). */
export function clearReturnUrl(): void {
  document.cookie = `${RETURN_COOKIE}=; path=/; samesite=lax; max-age=0`;
}
